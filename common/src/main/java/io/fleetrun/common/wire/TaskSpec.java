package io.fleetrun.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command to run, as published on {@code fleetrun.tasks} (key: task id).
 *
 * <p>Every limit is already resolved by the coordinator (task value over batch default over
 * system default), so a worker needs nothing but this record. Exactly one of {@code cmd} (run as
 * {@code /bin/sh -c cmd}) and {@code argv} (executed directly, first element looked up on PATH)
 * is set.
 *
 * @param v schema version, {@link #VERSION}
 * @param seq 1-based position of the task in its batch (like GNU parallel's {@code {#}})
 * @param attempt 1 for the first run; a retry publishes a new record with a higher attempt
 * @param timeoutMs wall-clock limit; 0 means none
 * @param killGraceMs time between SIGTERM and SIGKILL when the worker stops the task
 * @param outputLimitBytes bytes kept per stream (head plus tail); every byte is still counted
 * @param memoryLimitBytes resident-memory limit of the task's tree, null for none
 * @param pidsLimit process-count limit of the task's tree, null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    int v,
    String batchId,
    String taskId,
    int seq,
    int attempt,
    String cmd,
    List<String> argv,
    Map<String, String> env,
    String cwd,
    long timeoutMs,
    long killGraceMs,
    long outputLimitBytes,
    Long memoryLimitBytes,
    Integer pidsLimit,
    long submittedAtMs) {

  public static final int VERSION = 1;

  public TaskSpec {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(taskId, "taskId");
    if ((cmd == null) == (argv == null || argv.isEmpty())) {
      throw new IllegalArgumentException("task " + taskId + ": exactly one of cmd and argv");
    }
    argv = argv == null ? null : List.copyOf(argv);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The argument vector the worker executes. */
  public List<String> commandLine() {
    return cmd != null ? List.of("/bin/sh", "-c", cmd) : argv;
  }

  /** A one-line human form of the command, for logs, joblogs and listings. */
  public String display() {
    return cmd != null ? cmd : String.join(" ", argv);
  }
}
