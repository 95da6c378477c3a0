package io.fleetrun.cli;

import picocli.CommandLine.Command;

/** {@code fleetrun loadtest steps|soak}: measure the knee, prove no leaks. Only wires picocli. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = {"Measure this fleet: stepped concurrency with the knee found (steps), or a long run that fails on"
        + " leaks (soak).", "Both start a fleet of their own on this machine (broker, coordinator JVM, one worker)"
        + " unless --coordinator names a running one."},
    subcommands = {LoadtestStepsCommand.class, LoadtestSoakCommand.class})
final class LoadtestCommand {
}
