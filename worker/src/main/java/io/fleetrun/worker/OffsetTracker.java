package io.fleetrun.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offset each partition may commit: one past the highest offset below which every record the
 * worker received is finished (its result acknowledged by the broker).
 *
 * <p>Records finish out of order (a short task overtakes a long one); a commit never skips an
 * unfinished record, so a crash re-delivers exactly the unfinished ones and perhaps some finished
 * ones (at-least-once). Not thread-safe: owned by the worker verticle's context.
 */
final class OffsetTracker {
  private final Map<Partition, State> partitions = new HashMap<>();

  /** A topic partition, independent of any Kafka client class. */
  record Partition(String topic, int partition) {}

  private static final class State {
    final TreeSet<Long> pending = new TreeSet<>();
    final TreeSet<Long> finished = new TreeSet<>();
    long committable = -1; // next offset to commit; -1 before any record
    long committed = -1;
  }

  /** A record was received; it must finish before any later offset of its partition commits. */
  void received(Partition p, long offset) {
    State s = partitions.computeIfAbsent(p, k -> new State());
    if (s.committable < 0) {
      s.committable = offset; // nothing finished yet: committing it would be a no-op
      s.committed = offset;
    }
    s.pending.add(offset);
  }

  /** The record's work is durable; advances the committable offset over every finished prefix. */
  void finished(Partition p, long offset) {
    State s = partitions.get(p);
    if (s == null || !s.pending.remove(offset)) {
      return; // partition revoked meanwhile, or a duplicate completion
    }
    s.finished.add(offset);
    long lowestPending = s.pending.isEmpty() ? Long.MAX_VALUE : s.pending.first();
    while (!s.finished.isEmpty() && s.finished.first() < lowestPending) {
      s.committable = s.finished.pollFirst() + 1;
    }
  }

  /** Offsets that advanced since the last call; they count as committed from now on. */
  Map<Partition, Long> takeCommits() {
    Map<Partition, Long> out = new HashMap<>();
    partitions.forEach((p, s) -> {
      if (s.committable > s.committed) {
        out.put(p, s.committable);
        s.committed = s.committable;
      }
    });
    return out;
  }

  /** Forgets a partition this worker no longer owns: its later completions commit nothing. */
  void revoked(Partition p) {
    partitions.remove(p);
  }

  int pendingCount() {
    return partitions.values().stream().mapToInt(s -> s.pending.size()).sum();
  }
}
