package io.fleetrun.coordinator;

import java.util.ArrayDeque;

/**
 * The rate of a growing count over a sliding time window: keeps (time, count) samples covering
 * the window plus one older anchor, so a rate always spans a whole window once one has passed.
 * Not thread-safe; owned by the {@link FleetView}.
 */
final class RateWindow {
  /** A rate needs samples at least this far apart; before that there is none (NaN). */
  static final long MIN_SPAN_MS = 900;

  private final long windowMs;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  RateWindow(long windowMs) {
    this.windowMs = windowMs;
  }

  /** Adds the count seen at {@code nowMs} (times must not go backwards; an older one is ignored). */
  void add(long nowMs, long count) {
    long[] last = samples.peekLast();
    if (last != null && nowMs < last[0]) {
      return;
    }
    samples.addLast(new long[] {nowMs, count});
    // drop the head while the next sample is still at or before the window's start: it anchors
    while (samples.size() > 2) {
      long[] head = samples.pollFirst();
      if (samples.peekFirst()[0] > nowMs - windowMs) {
        samples.addFirst(head);
        break;
      }
    }
  }

  /** Count per second over the window, or NaN while the samples span less than {@link #MIN_SPAN_MS}. */
  double perSecond() {
    if (samples.size() < 2) {
      return Double.NaN;
    }
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    long span = last[0] - first[0];
    if (span < MIN_SPAN_MS) {
      return Double.NaN;
    }
    return Math.max(0, last[1] - first[1]) * 1000.0 / span;
  }

  /** Forgets every sample (the counter started again, e.g. its worker restarted). */
  void reset() {
    samples.clear();
  }
}
