package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Following a batch to its end: progress, summary, joblog; shared by local and submit. */
final class WatchOptions {
  @Option(names = "--joblog", paramLabel = "FILE",
      description = "Write a TSV joblog with GNU parallel's columns (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command).")
  Path joblog;

  @Option(names = "--no-progress", description = "Print no progress lines, only the summary.")
  boolean noProgress;

  /** Fails now, before any work, when the joblog cannot be written. */
  void checkJoblogWritable() {
    if (joblog != null) {
      try {
        Files.newBufferedWriter(joblog, StandardCharsets.UTF_8).close();
      } catch (IOException e) {
        throw CliException.usage("--joblog " + joblog + ": cannot write (" + e.getClass().getSimpleName() + ")");
      }
    }
  }

  /** Watches the batch to its end and reports; returns the exit code (0 all succeeded, else 1). */
  int follow(CoordinatorClient client, String batchId, PrintStream out) throws InterruptedException {
    BatchWatcher.Mode mode = noProgress ? BatchWatcher.Mode.QUIET
        : System.console() != null ? BatchWatcher.Mode.LIVE : BatchWatcher.Mode.PLAIN;
    JsonNode last = new BatchWatcher(client, out, mode).await(batchId);
    BatchReport report = new BatchReport(client, out);
    long notOk = report.summarize(last);
    if (joblog != null) {
      try {
        report.writeJoblog(batchId, joblog);
        out.println("joblog written to " + joblog);
      } catch (IOException e) {
        throw new CliException("--joblog " + joblog + ": cannot write (" + e.getClass().getSimpleName() + ")");
      }
    }
    return notOk == 0 ? 0 : Fleetrun.EXIT_TASKS_FAILED;
  }
}
