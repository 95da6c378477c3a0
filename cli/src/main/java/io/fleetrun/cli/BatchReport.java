package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.util.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The end of a watched batch: the summary, the failed tasks with their stderr tails, and the
 * joblog in GNU parallel's {@code --joblog} format.
 */
final class BatchReport {
  private static final int PAGE = 1000;
  private static final int MAX_FAILED_SHOWN = 20;
  private static final int TAIL_LINES = 8;

  private final CoordinatorClient client;
  private final PrintStream out;

  BatchReport(CoordinatorClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** "1 task", "2 tasks". */
  static String tasks(long n) {
    return n == 1 ? "1 task" : n + " tasks";
  }

  /** Prints counts per outcome and the failed tasks; returns how many tasks did not succeed. */
  long summarize(JsonNode batch) {
    String id = batch.path("batchId").asText();
    out.printf(Locale.ROOT, "batch %s (%s): %s, %s in %s%n", id, batch.path("name").asText(""),
        batch.path("state").asText(), tasks(batch.path("taskCount").asLong()),
        BatchWatcher.formatSecs(batch.path("elapsedMs").asLong() / 1000.0));
    StringBuilder counts = new StringBuilder("  ");
    for (Iterator<Map.Entry<String, JsonNode>> it = batch.path("counts").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().asLong() > 0) {
        counts.append(e.getKey().toLowerCase(Locale.ROOT)).append(' ').append(e.getValue().asLong()).append("  ");
      }
    }
    out.println(counts.toString().stripTrailing());
    long reruns = batch.path("reruns").asLong();
    if (reruns > 0) {
      out.println("  " + reruns + " extra run(s): tasks delivered again after their worker died or"
          + " their partition moved (see runs in fleetrun status / the API)");
    }
    long notOk = batch.path("done").asLong() - batch.path("counts").path("SUCCEEDED").asLong();
    if (notOk > 0) {
      printFailed(id, notOk);
    }
    return notOk;
  }

  private void printFailed(String batchId, long notOk) {
    int[] shown = {0};
    forEachTask(batchId, t -> {
      String outcome = t.path("outcome").asText("");
      if (outcome.isEmpty() || outcome.equals("SUCCEEDED") || shown[0] >= MAX_FAILED_SHOWN) {
        return;
      }
      shown[0]++;
      out.printf(Locale.ROOT, "%n%s %s%s after %.1fs: %s%n", t.path("taskId").asText(), outcome,
          status(t), t.path("durationMs").asLong() / 1000.0, t.path("cmd").asText());
      JsonNode detail = client.task(t.path("taskId").asText());
      JsonNode attempts = detail.path("attempts");
      JsonNode result = attempts.size() == 0 ? null : attempts.get(attempts.size() - 1).path("result");
      if (result != null) {
        if (result.hasNonNull("error")) {
          out.println("  error: " + result.get("error").asText());
        }
        printTail(result.path("stderr"));
      }
    });
    if (notOk > shown[0]) {
      out.printf("%n... and %d more not succeeded (fleetrun status %s --failed)%n", notOk - shown[0], batchId);
    }
  }

  private static String status(JsonNode t) {
    StringBuilder s = new StringBuilder(" (");
    if (t.hasNonNull("exitCode")) {
      s.append("exit ").append(t.get("exitCode").asInt());
    }
    if (t.hasNonNull("signal")) {
      s.append(s.length() > 2 ? ", " : "").append("signal ").append(t.get("signal").asText());
    }
    if (t.hasNonNull("cause")) {
      s.append(s.length() > 2 ? ", " : "").append("cause ").append(t.get("cause").asText());
    }
    return s.length() > 2 ? s.append(')').toString() : "";
  }

  private void printTail(JsonNode stderr) {
    String text = stderr.path("truncated").asBoolean()
        ? stderr.path("tail").asText("") : stderr.path("head").asText("") + stderr.path("tail").asText("");
    String[] lines = text.stripTrailing().split("\n", -1);
    if (text.isBlank()) {
      return;
    }
    out.println("  stderr (last lines):");
    for (int i = Math.max(0, lines.length - TAIL_LINES); i < lines.length; i++) {
      out.println("  | " + lines[i]);
    }
  }

  /**
   * Writes one row per task, ordered by seq, with GNU parallel's joblog columns. Exitval and
   * Signal are kept apart as parallel does: a task killed by a signal has Exitval 0 and its signal
   * number; a task that never started, or that the worker stopped (timeout, cancel, a limit,
   * shutdown), has Exitval -1, as parallel writes for a job its {@code --timeout} killed.
   */
  void writeJoblog(String batchId, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n");
      IOException[] failure = {null};
      forEachTask(batchId, t -> {
        try {
          w.write(joblogRow(t));
        } catch (IOException e) {
          failure[0] = e;
        }
      });
      if (failure[0] != null) {
        throw failure[0];
      }
    }
  }

  static String joblogRow(JsonNode t) {
    long start = t.path("startedAtMs").asLong(0);
    boolean stoppedByWorker = !t.path("cause").asText("").isEmpty();
    int exit = stoppedByWorker ? -1
        : t.hasNonNull("exitCode") ? t.get("exitCode").asInt() : (t.hasNonNull("signal") ? 0 : -1);
    int sig = t.hasNonNull("signal") ? Math.max(0, Signals.number(t.get("signal").asText())) : 0;
    return String.format(Locale.ROOT, "%d\t%s\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%s%n",
        t.path("seq").asLong(), t.path("host").asText(":"), start / 1000.0,
        t.path("durationMs").asLong() / 1000.0, 0, t.path("stdoutBytes").asLong(),
        exit, sig, t.path("cmd").asText().replace('\n', ' ').replace('\t', ' '));
  }

  private void forEachTask(String batchId, Consumer<JsonNode> action) {
    for (int offset = 0; ; offset += PAGE) {
      JsonNode page = client.tasks(batchId, null, offset, PAGE);
      page.path("items").forEach(action);
      if (offset + PAGE >= page.path("total").asLong()) {
        return;
      }
    }
  }
}
