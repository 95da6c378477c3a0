package io.fleetrun.loadtest.probe;

/**
 * The worker's spawn latency (slot taken to child running) over a window, merged from the
 * per-interval percentiles of its telemetry: {@code p50Ms} is the mean of the intervals' medians
 * weighted by their task counts (an estimate: medians do not merge exactly), {@code p99MaxMs} and
 * {@code maxMs} the highest of any interval (an upper bound). {@code count} 0 means unknown.
 */
public record SpawnStats(long count, double p50Ms, double p99MaxMs, double maxMs) {
  public static final SpawnStats NONE = new SpawnStats(0, 0, 0, 0);

  /** This window merged with one more interval. */
  public SpawnStats plus(long n, double p50, double p99, double max) {
    if (n <= 0) {
      return this;
    }
    long total = count + n;
    return new SpawnStats(total, (p50Ms * count + p50 * n) / total, Math.max(p99MaxMs, p99), Math.max(maxMs, max));
  }
}
