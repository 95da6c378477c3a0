package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Follows one batch on a coordinator until every task has a final outcome, drawing a progress
 * line: redrawn in place on a terminal ({@link Mode#LIVE}), one line every few seconds otherwise
 * ({@link Mode#PLAIN}), or none ({@link Mode#QUIET}).
 */
final class BatchWatcher {
  private static final long POLL_MS = 250;
  private static final long PLAIN_EVERY_MS = 5000;
  private static final long INCOMPLETE_GIVE_UP_MS = 60_000;

  private final CoordinatorClient client;
  private final PrintStream out;
  private final Mode mode;

  enum Mode { LIVE, PLAIN, QUIET }

  BatchWatcher(CoordinatorClient client, PrintStream out, Mode mode) {
    this.client = client;
    this.out = out;
    this.mode = mode;
  }

  /**
   * Blocks until the batch is SUCCEEDED, FAILED or CANCELLED; returns its final view. A batch that stays
   * INCOMPLETE (its submitter died mid-publish) ends the watch with an error after a minute.
   */
  JsonNode await(String batchId) throws InterruptedException {
    long start = System.currentTimeMillis();
    long lastPlain = 0;
    while (true) {
      JsonNode b = client.batch(batchId);
      String state = b.path("state").asText();
      if (state.equals("INCOMPLETE") && System.currentTimeMillis() - start > INCOMPLETE_GIVE_UP_MS) {
        throw new CliException("batch " + batchId + " is INCOMPLETE: its submission never finished");
      }
      boolean finished = state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
      long now = System.currentTimeMillis();
      if (mode == Mode.LIVE) {
        out.print("\r\033[K" + progressLine(b, now - start) + (finished ? "\n" : ""));
        out.flush();
      } else if (mode == Mode.PLAIN && (finished || now - lastPlain >= PLAIN_EVERY_MS)) {
        out.println(progressLine(b, now - start));
        lastPlain = now;
      }
      if (finished) {
        return b;
      }
      Thread.sleep(POLL_MS);
    }
  }

  /** e.g. {@code [4.2s] 120/300 done, 3 not succeeded, 4 running, 28.6 tasks/s, ETA 6s}. */
  static String progressLine(JsonNode b, long elapsedMs) {
    long total = b.path("taskCount").asLong();
    long done = b.path("done").asLong();
    JsonNode c = b.path("counts");
    long running = c.path("RUNNING").asLong();
    long failed = done - c.path("SUCCEEDED").asLong();
    long since = b.path("firstStartedAtMs").asLong(0);
    long until = b.path("finishedAtMs").asLong(0) > 0 ? b.path("finishedAtMs").asLong() : System.currentTimeMillis();
    double secs = since > 0 ? Math.max(0.001, (until - since) / 1000.0) : 0;
    double rate = secs > 0 ? done / secs : 0;
    String eta = rate > 0 && done < total ? formatSecs((total - done) / rate) : "-";
    return String.format(Locale.ROOT, "[%s] %d/%d done, %d not succeeded, %d running, %s tasks/s, ETA %s",
        formatSecs(elapsedMs / 1000.0), done, total, failed, running, formatRate(rate), eta);
  }

  /** One decimal, but a slow batch's rate keeps two significant digits instead of showing 0.0. */
  static String formatRate(double rate) {
    return rate == 0 || rate >= 1 ? String.format(Locale.ROOT, "%.1f", rate) : String.format(Locale.ROOT, "%.2g", rate);
  }

  static String formatSecs(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", s);
    }
    long t = Math.round(s);
    return t < 3600 ? (t / 60) + "m" + (t % 60) + "s" : (t / 3600) + "h" + (t % 3600 / 60) + "m";
  }
}
