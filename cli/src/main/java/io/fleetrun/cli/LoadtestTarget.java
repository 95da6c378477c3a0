package io.fleetrun.cli;

import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.report.ReportFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a load test runs and where its reports go; shared by {@code loadtest steps} and {@code soak}. */
final class LoadtestTarget {
  @Option(names = "--coordinator", paramLabel = "URL",
      description = "Drive a running fleet through this coordinator instead of starting one here. Its workers' caps"
          + " are not changed: each step keeps exactly its concurrency in flight.")
  String coordinator;

  @Option(names = "--token", defaultValue = "${env:FLEETRUN_TOKEN}",
      description = "Bearer token for --coordinator (env FLEETRUN_TOKEN).")
  String token;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Kafka of the fleet: with --coordinator, finished tasks are read from its results topic (else the"
          + " API is polled); without, the embedded fleet uses this broker instead of starting one.")
  String bootstrap;

  @Option(names = "--worker-pid", paramLabel = "PID",
      description = "With --coordinator: a worker process on this host whose figures are read from /proc.")
  Long workerPid;

  @Option(names = "--threshold", paramLabel = "N", defaultValue = "23",
      description = "The node's threshold: caps stay below it, and so does the recommended cap (default ${DEFAULT-VALUE}).")
  int threshold;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "loadtest-out",
      description = "Directory for the reports (created if missing; default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--note", paramLabel = "TEXT", description = "A line about this run for the report (e.g. what else ran).")
  String note;

  /** Checks what needs no fleet; every message names its option. */
  void validate() {
    if (threshold < 2 || threshold > 10_000) {
      throw new IllegalArgumentException("--threshold: must be 2..10000, got " + threshold);
    }
    if (coordinator == null && workerPid != null) {
      throw new IllegalArgumentException("--worker-pid: only with --coordinator (the embedded worker runs in this JVM)");
    }
    if (coordinator == null && token != null && !token.isBlank() && System.getenv("FLEETRUN_TOKEN") == null) {
      throw new IllegalArgumentException("--token: only with --coordinator (the embedded coordinator needs none)");
    }
    if (workerPid != null && !Files.isDirectory(Path.of("/proc/" + workerPid))) {
      throw new IllegalArgumentException("--worker-pid: no process " + workerPid + " on this host");
    }
    if (bootstrap != null && bootstrap.isBlank()) {
      throw new IllegalArgumentException("--bootstrap: must name a broker (host:port)");
    }
    ReportFiles.checkWritable(out, "--out");
  }

  boolean embedded() {
    return coordinator == null;
  }

  /** Starts the embedded fleet or connects to the running one. */
  Fleet open(int workerThreshold) {
    return embedded() ? EmbeddedFleet.start(bootstrap, workerThreshold)
        : new RemoteFleet(new CoordinatorClient(coordinator, token), bootstrap, workerPid);
  }

  /** The report's first lines: when, where, on what, and the user's note. */
  List<String> context(Fleet fleet) {
    List<String> lines = new ArrayList<>();
    lines.add("run " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC))
        .replaceAll("\\.\\d+", "") + " with " + new Fleetrun.Version().getVersion()[0]);
    lines.add("host: " + Runtime.getRuntime().availableProcessors() + " cores, " + memTotal() + ", Linux " + kernel()
        + ", Java " + System.getProperty("java.version"));
    lines.add("fleet: " + fleet.describe());
    lines.add("worker figures: " + fleet.probe().source());
    if (note != null && !note.isBlank()) {
      lines.add("note: " + note.strip());
    }
    return lines;
  }

  private static String kernel() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return System.getProperty("os.version");
    }
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          return Math.round(kb / 1048576.0) + " GiB RAM";
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return "RAM unknown";
  }
}
