package io.fleetrun.coordinator;

/**
 * How the coordinator's fleet view runs, each setting with its default and meaning side by side.
 * Immutable; {@link #DEFAULTS} for production, tests shorten the periods.
 *
 * @param tickMs how often the fleet view is recomputed, published on {@code fleetrun.fleet} and
 *     served by {@code GET /v1/fleet}. Default {@value #DEFAULT_TICK_MS}
 * @param missedIntervals a worker silent for more than this many of its own telemetry intervals
 *     is shown DOWN and its running tasks suspect. Default {@value #DEFAULT_MISSED_INTERVALS}
 * @param forgetAfterMs a worker DOWN for longer than this leaves the table and its metric series
 *     are removed (worker ids that change on every restart must not grow the table without end).
 *     Default {@value #DEFAULT_FORGET_AFTER_MS} (10 min)
 * @param rateWindowMs tasks/s of batches, workers and the fleet are measured over the last this
 *     many milliseconds. Default {@value #DEFAULT_RATE_WINDOW_MS}
 * @param lagPollMs how often the queue lag of {@code fleetrun.tasks} for the worker group is read
 *     from Kafka (off the event loop). Default {@value #DEFAULT_LAG_POLL_MS}
 * @param historyPoints fleet totals kept for the dashboard's charts, one per tick. Default {@value
 *     #DEFAULT_HISTORY_POINTS} (5 min at one tick a second)
 */
public record FleetSettings(
    long tickMs, int missedIntervals, long forgetAfterMs, long rateWindowMs, long lagPollMs, int historyPoints) {

  public static final long DEFAULT_TICK_MS = 1_000;
  public static final int DEFAULT_MISSED_INTERVALS = 3;
  public static final long DEFAULT_FORGET_AFTER_MS = 600_000;
  public static final long DEFAULT_RATE_WINDOW_MS = 10_000;
  public static final long DEFAULT_LAG_POLL_MS = 5_000;
  public static final int DEFAULT_HISTORY_POINTS = 300;
  /** Batches not yet done shown at most; the newest win. */
  public static final int MAX_OPEN_BATCHES = 50;
  /** Of the newest batches, how many are looked at for recently finished ones to show. */
  public static final int RECENT_BATCHES = 10;
  /** A finished batch stays shown this long after its last task ended. */
  public static final long FINISHED_SHOWN_MS = 600_000;

  public static final FleetSettings DEFAULTS = new FleetSettings(DEFAULT_TICK_MS, DEFAULT_MISSED_INTERVALS,
      DEFAULT_FORGET_AFTER_MS, DEFAULT_RATE_WINDOW_MS, DEFAULT_LAG_POLL_MS, DEFAULT_HISTORY_POINTS);

  /**
   * Checks every field.
   *
   * @return this, for chaining
   * @throws IllegalArgumentException naming the first bad field and what is allowed
   */
  public FleetSettings validate() {
    check("tickMs", tickMs, 50, 60_000);
    check("missedIntervals", missedIntervals, 1, 100);
    check("forgetAfterMs", forgetAfterMs, 1_000, 7L * 24 * 3600 * 1000);
    check("rateWindowMs", rateWindowMs, 1_000, 3_600_000);
    check("lagPollMs", lagPollMs, 100, 600_000);
    check("historyPoints", historyPoints, 1, 100_000);
    return this;
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("fleet." + name + ": must be " + min + ".." + max + ", got " + value);
    }
  }
}
