package io.fleetrun.loadtest;

import org.HdrHistogram.Histogram;

/**
 * One latency distribution in whole milliseconds (the resolution of the timestamps the fleet
 * reports), kept in an HdrHistogram with three significant digits up to an hour. Negative values
 * (clocks of different hosts disagreeing) are counted apart and recorded as 0. Not thread-safe:
 * one driver thread records.
 */
public final class Latencies {
  private static final long HIGHEST_MS = 3_600_000;
  private final Histogram histogram = new Histogram(HIGHEST_MS, 3);
  private long negative;

  public void record(long ms) {
    if (ms < 0) {
      negative++;
      ms = 0;
    }
    histogram.recordValue(Math.min(ms, HIGHEST_MS));
  }

  /** Values that were below 0 (clock skew between the driver and a remote worker). */
  public long negative() {
    return negative;
  }

  public Summary summary() {
    if (histogram.getTotalCount() == 0) {
      return Summary.EMPTY;
    }
    return new Summary(histogram.getTotalCount(), histogram.getMean(), histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(95), histogram.getValueAtPercentile(99), histogram.getMaxValue());
  }

  /** The figures of one distribution, in ms; {@code count} 0 means no value. */
  public record Summary(long count, double avg, long p50, long p95, long p99, long max) {
    public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0);
  }
}
