package io.fleetrun.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one task taken from the {@link Projection}: its state and where its spec and each
 * attempt's result sit in Kafka. Immutable, so it can leave the event loop for the fetch.
 *
 * @param specPartition -1 when the task record was not seen (yet)
 */
record TaskLookup(
    String taskId, String batchId, int seq, String state, int specPartition, long specOffset,
    List<AttemptRef> attempts) {

  /**
   * One attempt.
   *
   * @param resultPartition -1 while the attempt has no TASK_FINISHED
   */
  record AttemptRef(
      int attempt, int runs, String workerId, String host, Long startedAtMs, int resultPartition, long resultOffset) {}

  static TaskLookup of(String taskId, String batchId, int seq, TaskEntry t) {
    if (t == null) {
      return new TaskLookup(taskId, batchId, seq, "QUEUED", -1, -1, List.of());
    }
    List<AttemptRef> refs = new ArrayList<>();
    for (AttemptSlot s : t.attempts()) {
      refs.add(new AttemptRef(s.attempt, s.runs, s.workerId, s.host, s.startedAtMs < 0 ? null : s.startedAtMs,
          s.finished ? s.resultPartition : -1, s.finished ? s.resultOffset : -1));
    }
    return new TaskLookup(taskId, batchId, seq, Projection.stateName(t.stateCode()),
        t.specPartition, t.specOffset, List.copyOf(refs));
  }
}
