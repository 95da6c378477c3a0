package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet report of {@code GET /v1/fleet} as plain text for a terminal: a summary line, the
 * worker table and the batch table, columns aligned. Pure formatting; no I/O.
 */
final class FleetTable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private FleetTable() {}

  static String render(JsonNode fleet, String source) {
    StringBuilder out = new StringBuilder();
    JsonNode t = fleet.path("totals");
    JsonNode lag = fleet.path("queueLag");
    out.append(String.format(Locale.ROOT, "fleetrun top  %s  %s%n", source,
        CLOCK.format(Instant.ofEpochMilli(fleet.path("generatedAtMs").asLong()))));
    out.append(String.format(Locale.ROOT,
        "workers %d up, %d down   children %d/%d   %s tasks/s   running %d   queued %d   queue lag %s   suspect %d"
            + "   zombies %d%n%n",
        t.path("up").asInt(), t.path("down").asInt(), t.path("liveChildren").asInt(), t.path("cap").asInt(),
        rate(t.path("tasksPerSecond").asDouble()), t.path("runningTasks").asInt(), t.path("queuedTasks").asInt(),
        lag.path("polledAtMs").asLong() > 0 ? Long.toString(lag.path("total").asLong()) : "-",
        t.path("suspectTasks").asInt(), t.path("zombies").asInt()));
    List<String[]> workers = new ArrayList<>();
    workers.add(new String[] {"WORKER", "HOST", "STATE", "CHILDREN", "QUEUED", "TASKS/S", "CPU", "TASK-CPU", "RSS",
        "TASK-RSS", "FDS", "THREADS", "ZOMBIES", "SEEN", "RESTARTS"});
    for (JsonNode w : fleet.path("workers")) {
      JsonNode s = w.path("sample");
      workers.add(new String[] {w.path("workerId").asText(), s.path("host").asText(), state(w),
          s.path("liveChildren").asInt() + "/" + s.path("cap").asInt(), s.path("queued").asText(),
          rate(w.path("tasksPerSecond").asDouble()), cores(s.path("processCpuCores").asDouble()),
          cores(s.path("childrenCpuCores").asDouble()), bytes(s.path("rssBytes").asLong()),
          bytes(s.path("childrenRssBytes").asLong()), s.path("openFds").asText(), s.path("threads").asText(),
          s.path("zombies").asText(), BatchWatcher.formatSecs(w.path("ageMs").asLong() / 1000.0),
          w.path("restarts").asText()});
    }
    table(out, workers, "no worker has reported yet");
    out.append('\n');
    List<String[]> batches = new ArrayList<>();
    batches.add(new String[] {"BATCH", "NAME", "STATE", "DONE", "FAILED", "RUNNING", "QUEUED", "SUSPECT", "TASKS/S",
        "ETA", "ELAPSED"});
    for (JsonNode b : fleet.path("batches")) {
      batches.add(new String[] {b.path("batchId").asText(), cut(b.path("name").asText(""), 24),
          b.path("state").asText(), b.path("done").asInt() + "/" + b.path("taskCount").asInt(),
          b.path("failed").asText(), b.path("running").asText(), b.path("queued").asText(), b.path("suspect").asText(),
          rate(b.path("tasksPerSecond").asDouble()),
          b.path("etaMs").isNull() ? "-" : BatchWatcher.formatSecs(b.path("etaMs").asLong() / 1000.0),
          b.path("elapsedMs").isNull() ? "-" : BatchWatcher.formatSecs(b.path("elapsedMs").asLong() / 1000.0)});
    }
    table(out, batches, "no batch running or finished in the last 10 minutes");
    return out.toString();
  }

  private static String state(JsonNode w) {
    JsonNode s = w.path("sample");
    if (w.path("state").asText().equals("DOWN")) {
      return "DOWN";
    }
    return !s.path("healthy").asBoolean(true) ? "unhealthy" : s.path("memoryPaused").asBoolean() ? "mem-low" : "up";
  }

  /** Appends rows with every column padded to its widest cell; numbers (all but the first three) right-aligned. */
  private static void table(StringBuilder out, List<String[]> rows, String empty) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(i < 3 ? r[i] + pad : pad + r[i]).append(i < cols - 1 ? "  " : "");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    if (rows.size() == 1) {
      out.append("(").append(empty).append(")\n");
    }
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f" : "%.1f", perSecond);
  }

  static String cores(double c) {
    return String.format(Locale.ROOT, "%.2f", c);
  }

  static String bytes(long b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, v >= 100 || i == 0 ? "%.0f %s" : "%.1f %s", v, units[i]);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
