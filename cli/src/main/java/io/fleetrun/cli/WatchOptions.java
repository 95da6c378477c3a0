package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Following a batch to its end: progress, summary, joblog; shared by local and submit. */
final class WatchOptions {
  @Option(names = "--joblog", paramLabel = "FILE",
      description = "Write a TSV joblog with GNU parallel's columns (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command).")
  Path joblog;

  @Option(names = "--no-progress", description = "Do not draw the live progress line.")
  boolean noProgress;

  /** Watches the batch to its end and reports; returns the exit code (0 all succeeded, else 1). */
  int follow(CoordinatorClient client, String batchId, PrintStream out) throws InterruptedException {
    boolean tty = System.console() != null && !noProgress;
    JsonNode last = new BatchWatcher(client, out, tty).await(batchId);
    BatchReport report = new BatchReport(client, out);
    long notOk = report.summarize(last);
    if (joblog != null) {
      try {
        report.writeJoblog(batchId, joblog);
        out.println("joblog written to " + joblog);
      } catch (IOException e) {
        throw new CliException("joblog " + joblog + ": " + e.getMessage());
      }
    }
    return notOk == 0 ? 0 : Fleetrun.EXIT_TASKS_FAILED;
  }
}
