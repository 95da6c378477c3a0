package io.fleetrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of every fleetrun role. Only wires picocli; each role is its own command.
 *
 * <p>Exit codes: 0 every task succeeded (or the role ended cleanly), 1 some task did not succeed,
 * 2 bad usage, 3 fleetrun itself failed (broker would not start, coordinator unreachable, ...).
 */
@Command(
    name = "fleetrun",
    mixinStandardHelpOptions = true,
    versionProvider = Fleetrun.Version.class,
    description = "Runs batches of shell commands on a fleet of workers, through Kafka.",
    subcommands = {
      LocalCommand.class, SubmitCommand.class, StatusCommand.class, TopCommand.class, CancelCommand.class, BrokerCommand.class,
      CoordinatorCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every task succeeded (or the role stopped cleanly)",
      "1:some task did not succeed",
      "2:bad usage or bad input (options, batch file, unknown batch)",
      "3:fleetrun itself failed (broker, coordinator, network)",
      "130:interrupted (Ctrl-C)"
    })
public final class Fleetrun {
  public static final int EXIT_TASKS_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_ERROR = 3;
  /** As a shell reports SIGINT: 128 + 2. */
  public static final int EXIT_INTERRUPTED = 130;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; never exits the JVM. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Fleetrun());
    cli.setExecutionExceptionHandler((e, cmd, parse) -> {
      if (e instanceof CliException c) {
        cmd.getErr().println("fleetrun: " + c.getMessage());
        return c.exitCode();
      }
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("fleetrun: " + e.getMessage());
        return EXIT_USAGE;
      }
      cmd.getErr().println("fleetrun: " + e);
      e.printStackTrace(cmd.getErr());
      return EXIT_ERROR;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Fleetrun.class.getPackage().getImplementationVersion();
      return new String[] {"fleetrun " + (v == null ? "dev" : v)};
    }
  }
}
