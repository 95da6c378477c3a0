package io.fleetrun.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A record on {@code fleetrun.control} (compacted). The key is what the message targets: the task
 * id for a task, the batch id for a whole batch, so compaction keeps one message per target and
 * a worker that starts later still reads every cancel.
 *
 * @param v schema version, {@link #VERSION}
 * @param kind what to do; only {@link Kind#CANCEL} today
 * @param batchId the batch concerned (always set)
 * @param taskId the one task concerned, or null for every task of the batch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlMessage(int v, Kind kind, String batchId, String taskId, long requestedAtMs) {
  public static final int VERSION = 1;

  /** The closed set of control actions. */
  public enum Kind {
    /** Queued tasks are reported CANCELLED without being spawned; running ones get the stop sequence. */
    CANCEL
  }

  public ControlMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(batchId, "batchId");
  }

  public static ControlMessage cancelBatch(String batchId, long nowMs) {
    return new ControlMessage(VERSION, Kind.CANCEL, batchId, null, nowMs);
  }

  public static ControlMessage cancelTask(String batchId, String taskId, long nowMs) {
    return new ControlMessage(VERSION, Kind.CANCEL, batchId, Objects.requireNonNull(taskId, "taskId"), nowMs);
  }

  /** The record key: the task id, or the batch id for a whole batch. */
  public String key() {
    return taskId != null ? taskId : batchId;
  }

  /** True when this message concerns {@code spec}. */
  public boolean targets(TaskSpec spec) {
    return batchId.equals(spec.batchId()) && (taskId == null || taskId.equals(spec.taskId()));
  }
}
