package io.fleetrun.coordinator;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the HTTP API, as immutable records (field name = JSON name; null fields are
 * written as {@code null} unless marked otherwise). Errors are {@code {"error": "...", "field":
 * "..."}} and are built by {@link HttpApi}.
 */
public final class ApiViews {
  private ApiViews() {}

  /** 202 answer of {@code POST /v1/batches}. */
  public record Accepted(String batchId, int taskCount) {}

  /**
   * A batch as {@code GET /v1/batches/{id}} and the items of {@code GET /v1/batches} show it.
   *
   * @param state ACCEPTED (nothing started), RUNNING, SUCCEEDED (all done, all succeeded), FAILED
   *     (all done, some not succeeded), CANCELLED (all done after a cancel of the whole batch was
   *     requested) or INCOMPLETE (tasks were published but the batch was never accepted: its
   *     coordinator died while publishing, or is publishing right now)
   * @param counts QUEUED, RUNNING and every Outcome name, each a count of tasks; they add up to
   *     {@code taskCount}
   * @param reruns runs beyond the first, over all tasks: at-least-once delivery ran these tasks
   *     again (their worker died, or their partition moved mid-task)
   * @param finishedAtMs end of the last task once every task is done, else null
   * @param elapsedMs from acceptance (or, for INCOMPLETE, the first start) to the end, or to now
   *     while running; null when neither is known
   * @param cancelRequestedAtMs when a cancel of the whole batch was requested (the coordinator's
   *     clock), else null; task-level cancels do not set it
   */
  public record BatchSummary(
      String batchId,
      String name,
      String state,
      int taskCount,
      int done,
      Map<String, Integer> counts,
      int reruns,
      Long acceptedAtMs,
      Long firstStartedAtMs,
      Long finishedAtMs,
      Long elapsedMs,
      Long cancelRequestedAtMs) {}

  /**
   * 202 answer of {@code DELETE /v1/batches/{id}}, sent once the cancel is durable in Kafka.
   *
   * @param cancelRequested always true: the cancel is recorded on {@code fleetrun.control}
   * @param alreadyDone every task already had a final outcome when the request came
   */
  public record BatchCancel(String batchId, boolean cancelRequested, boolean alreadyDone) {}

  /** 202 answer of {@code DELETE /v1/tasks/{id}}; fields as in {@link BatchCancel}. */
  public record TaskCancel(String taskId, boolean cancelRequested, boolean alreadyDone) {}

  /** A page of a listing, {@code items} in the listing's order. */
  public record Page<T>(List<T> items, int total, int offset, int limit) {}

  /**
   * A task row of {@code GET /v1/batches/{id}/tasks}; attempt fields describe the latest attempt
   * and are null while the task is queued.
   *
   * @param cmd TaskSpec.display(), shortened to 200 characters; null until the task record was
   *     read
   * @param state QUEUED, RUNNING or the outcome name
   * @param runs how many times the latest attempt ran (more than 1 after a redelivery)
   */
  public record TaskItem(
      String taskId,
      int seq,
      String cmd,
      String state,
      String outcome,
      Integer exitCode,
      String signal,
      String cause,
      Integer attempt,
      Integer runs,
      String workerId,
      String host,
      Long startedAtMs,
      Long endedAtMs,
      Long durationMs,
      Long stdoutBytes,
      Long stderrBytes) {}

  /**
   * {@code GET /v1/tasks/{id}}: the spec and every attempt with its full result, both read back
   * from Kafka by offset.
   *
   * @param spec null when the task record is not known (yet) or could not be read ({@code
   *     specError} says why)
   */
  public record TaskView(
      String taskId,
      String batchId,
      int seq,
      String state,
      TaskSpec spec,
      @JsonInclude(JsonInclude.Include.NON_NULL) String specError,
      List<AttemptView> attempts) {}

  /**
   * One attempt of a task, oldest first.
   *
   * @param runs how many times this attempt ran; the worker and times shown are of the newest run
   *
   * @param result the worker's TaskResult with stdout/stderr captures; null while running, or
   *     when the record could not be read ({@code resultError} says why)
   */
  public record AttemptView(
      int attempt,
      int runs,
      String workerId,
      String host,
      Long startedAtMs,
      TaskResult result,
      @JsonInclude(JsonInclude.Include.NON_NULL) String resultError) {}

  /** {@code GET /healthz}: "ok" (200) or what is wrong (503). */
  public record Health(String status) {}
}
