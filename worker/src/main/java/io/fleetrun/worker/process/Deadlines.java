package io.fleetrun.worker.process;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * The children's deadlines in time order, at most one per child: the timeout while it runs, the
 * kill deadline after SIGTERM, the drain deadline after its exit. Loop thread only.
 *
 * <p>Rescheduling removes the old entry first (O(log n)), so completed children leave nothing
 * behind, however long their timeout was.
 */
final class Deadlines {
  private final TreeSet<Child> ordered = new TreeSet<>(
      Comparator.comparingLong((Child c) -> c.deadlineNanos).thenComparingLong(c -> c.id));

  void schedule(Child c, long atNanos) {
    cancel(c);
    c.deadlineNanos = atNanos;
    c.scheduled = true;
    ordered.add(c);
  }

  void cancel(Child c) {
    if (c.scheduled) {
      ordered.remove(c);
      c.scheduled = false;
    }
  }

  /** Milliseconds (rounded up) until the nearest deadline; -1 when there is none. */
  long millisUntilNext(long nowNanos) {
    if (ordered.isEmpty()) {
      return -1;
    }
    long nanos = ordered.first().deadlineNanos - nowNanos;
    return Math.max(0, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
  }

  /** Removes and returns a child whose deadline has passed, or null. */
  Child pollDue(long nowNanos) {
    if (ordered.isEmpty() || ordered.first().deadlineNanos - nowNanos > 0) {
      return null;
    }
    Child c = ordered.pollFirst();
    c.scheduled = false;
    return c;
  }
}
