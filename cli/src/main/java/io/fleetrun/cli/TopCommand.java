package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fleet table on a terminal, redrawn every interval, like top(1). */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Show the fleet as a running coordinator sees it, refreshed every second: workers (children vs "
        + "cap, CPU, RSS, FDs, threads, zombies, up or DOWN) and batches (progress, failures, rate, ETA).",
        "Ctrl-C ends it. --once prints the table once (for scripts)."})
final class TopCommand implements Callable<Integer> {
  @Option(names = "--once", description = "Print the table once and exit.")
  boolean once;

  @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "MS",
      description = "Refresh period (default ${DEFAULT-VALUE}; 200..60000).")
  long intervalMs;

  @Mixin ClientOptions client;

  @Override
  public Integer call() throws InterruptedException {
    if (intervalMs < 200 || intervalMs > 60_000) {
      throw CliException.usage("--interval-ms: must be 200..60000, got " + intervalMs);
    }
    CoordinatorClient c = client.client();
    PrintStream out = System.out;
    JsonNode fleet = c.fleet(); // the first failure ends the command: a wrong URL or token shows at once
    if (once) {
      out.print(FleetTable.render(fleet, c.baseUrl()));
      out.flush();
      return 0;
    }
    boolean terminal = System.console() != null;
    while (true) {
      String screen = FleetTable.render(fleet, c.baseUrl());
      // home and clear on a terminal; a separator line when piped, so the output stays readable
      out.print(terminal ? "\033[H\033[2J" + screen : screen + "\n");
      out.flush();
      Thread.sleep(intervalMs);
      fleet = next(c, fleet, out);
    }
  }

  /** The next report; while the coordinator is unreachable, the last one with a note. */
  private static JsonNode next(CoordinatorClient c, JsonNode last, PrintStream out) {
    try {
      return c.fleet();
    } catch (CliException e) {
      if (e.exitCode() == Fleetrun.EXIT_USAGE) {
        throw e; // the token or URL became wrong: retrying will not help
      }
      out.println("fleetrun: " + e.getMessage() + " (retrying)");
      return last;
    }
  }
}
