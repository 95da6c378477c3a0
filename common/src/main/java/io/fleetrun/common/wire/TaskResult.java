package io.fleetrun.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How one attempt of a task ended, with its accounting.
 *
 * <p>{@code exitCode} and {@code signal} are kept apart and at most one is set: a child that
 * called {@code exit(137)} has exit code 137 and no signal; a child that died of SIGKILL has
 * signal {@code "KILL"} and no exit code. {@code cause} names what the worker did ({@code
 * "timeout"}, {@code "cancel"}, ...) and is null when the child ended by itself.
 *
 * @param signal name without the SIG prefix, e.g. {@code "TERM"}
 * @param cause what the worker did to end the task; null when it ended by itself
 * @param escalatedToKill true when SIGTERM was not enough and the worker sent SIGKILL
 * @param error a readable reason for {@link Outcome#SPAWN_FAILED} (and other worker-side errors)
 * @param maxRssBytes peak of the sampled group RSS when a memory limit was set, else null. The
 *     process-group backend samples the summed RSS of the task's process group every ~100 ms
 *     (virtual size never counts), so a peak between samples is missed and a task that ended
 *     before its first sample reports 0; null also for a task that never ran. The kernel's {@code
 *     ru_maxrss} is not used: a child started by posix_spawn (vfork) inherits its parent's peak,
 *     so that figure would be the worker's own size
 * @param descendantsKilled processes of the task's tree still alive after the main child ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResult(
    Outcome outcome,
    Integer exitCode,
    String signal,
    String cause,
    boolean escalatedToKill,
    String error,
    long startedAtMs,
    long endedAtMs,
    long userCpuMs,
    long sysCpuMs,
    Long maxRssBytes,
    int descendantsKilled,
    StreamCapture stdout,
    StreamCapture stderr) {

  public TaskResult {
    stdout = stdout == null ? StreamCapture.EMPTY : stdout;
    stderr = stderr == null ? StreamCapture.EMPTY : stderr;
  }

  public long durationMs() {
    return Math.max(0, endedAtMs - startedAtMs);
  }
}
