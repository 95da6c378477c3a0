package io.fleetrun.coordinator;

import io.fleetrun.common.wire.TaskSpec;
import java.util.List;

/**
 * A parsed and validated batch submission, before it has an id. Immutable.
 *
 * @param name the batch's name, or null
 * @param defaults settings every task inherits unless it sets its own
 * @param tasks at least one task, in submission order (task i gets seq i + 1)
 */
public record BatchRequest(String name, TaskOverrides defaults, List<TaskInput> tasks) {

  /**
   * One submitted command: exactly one of {@code cmd} (run with {@code /bin/sh -c}) and {@code
   * argv} (executed directly).
   *
   * @param overrides this task's own settings; {@link TaskOverrides#NONE} when it has none
   */
  public record TaskInput(String cmd, List<String> argv, TaskOverrides overrides) {}

  public BatchRequest {
    defaults = defaults == null ? TaskOverrides.NONE : defaults;
    tasks = List.copyOf(tasks);
  }

  public int size() {
    return tasks.size();
  }

  /**
   * The fully resolved spec of task {@code seq} (1-based), attempt 1: every limit taken from the
   * task, else the batch defaults, else the coordinator's defaults.
   */
  public TaskSpec spec(String batchId, int seq, long submittedAtMs, CoordinatorConfig config) {
    TaskInput t = tasks.get(seq - 1);
    TaskOverrides o = t.overrides().over(defaults);
    return new TaskSpec(TaskSpec.VERSION, batchId, batchId + "." + seq, seq, 1,
        t.cmd(), t.argv(), o.env(), o.cwd(),
        o.timeoutMs() != null ? o.timeoutMs() : config.defaultTimeoutMs(),
        o.killGraceMs() != null ? o.killGraceMs() : config.defaultKillGraceMs(),
        o.outputLimitBytes() != null ? o.outputLimitBytes() : config.defaultOutputLimitBytes(),
        o.memoryLimitBytes(), o.pidsLimit(), submittedAtMs);
  }
}
