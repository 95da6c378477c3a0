package io.fleetrun.worker;

import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.worker.process.ChildHandle;
import io.fleetrun.worker.process.StopCause;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What was cancelled, and the running children a cancel must stop. Cancels are kept for the
 * worker's life (the control topic is compacted and read from its start, so a restarted worker
 * learns them again). Not thread-safe: confined to the worker verticle's context.
 */
final class Cancellations {
  private final Set<String> batches = new HashSet<>();
  private final Set<String> tasks = new HashSet<>();
  private final Map<String, ChildHandle> running = new HashMap<>();

  /** Records a control message and stops every running child it targets. */
  void apply(ControlMessage m) {
    if (m.kind() != ControlMessage.Kind.CANCEL) {
      return;
    }
    if (m.taskId() == null) {
      batches.add(m.batchId());
    } else {
      tasks.add(m.taskId());
    }
    for (ChildHandle h : running.values()) {
      if (m.targets(h.spec())) {
        h.cancel(StopCause.CANCEL);
      }
    }
  }

  boolean isCancelled(TaskSpec spec) {
    return batches.contains(spec.batchId()) || tasks.contains(spec.taskId());
  }

  /** A child is running for {@code h.spec()}; a later cancel reaches it. */
  void started(ChildHandle h) {
    running.put(h.spec().taskId(), h);
  }

  void ended(TaskSpec spec) {
    running.remove(spec.taskId());
  }

  /**
   * The result of a task cancelled before this worker spawned it (an earlier delivery may have
   * run on a worker that stopped: the message speaks of this run only).
   */
  static TaskResult notStarted(long nowMs) {
    return new TaskResult(Outcome.CANCELLED, null, null, StopCause.CANCEL, false,
        "cancelled before this run started", nowMs, nowMs, 0, 0, null, 0, StreamCapture.EMPTY, StreamCapture.EMPTY);
  }
}
