package io.fleetrun.common.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record on {@code fleetrun.results} (key: batch id, so one batch's events stay in order).
 *
 * <p>The coordinator's whole state is a fold over these events plus the task records; every
 * variant carries the schema version {@code v}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ResultEvent.BatchAccepted.class, name = "BATCH_ACCEPTED"),
  @JsonSubTypes.Type(value = ResultEvent.TaskStarted.class, name = "TASK_STARTED"),
  @JsonSubTypes.Type(value = ResultEvent.TaskFinished.class, name = "TASK_FINISHED")
})
public sealed interface ResultEvent {
  int VERSION = 1;

  int v();

  String batchId();

  /**
   * Written by the coordinator once the broker acknowledged every task record of the batch.
   *
   * @param taskCount number of tasks, numbered 1..taskCount
   */
  record BatchAccepted(int v, String batchId, String name, int taskCount, long acceptedAtMs)
      implements ResultEvent {}

  /** Written by a worker when the child of an attempt is running. */
  record TaskStarted(
      int v, String batchId, String taskId, int seq, int attempt, String workerId, String host,
      long startedAtMs) implements ResultEvent {}

  /** Written by a worker when an attempt ended and every resource of it is released. */
  record TaskFinished(
      int v, String batchId, String taskId, int seq, int attempt, String workerId, String host,
      TaskResult result) implements ResultEvent {}
}
