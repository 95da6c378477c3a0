package io.fleetrun.worker.process;

import com.sun.jna.Pointer;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One task's child: the {@link ChildHandle} given to the owner and the state the loop keeps.
 *
 * <p>Fields without {@code volatile} belong to the loop thread ({@link ChildLoop}); the handle
 * methods only read volatile fields and submit commands to the loop.
 */
final class Child implements ChildHandle {
  static final int STDOUT = 0;
  static final int STDERR = 1;
  private static final String[] STREAM_NAMES = {"stdout", "stderr"};

  private final TaskSpec spec;
  final Map<String, String> env;
  private final ChildLoop loop;
  private final CompletableFuture<TaskResult> result = new CompletableFuture<>();
  private final CompletableFuture<Integer> started = new CompletableFuture<>();
  private volatile int pid = -1;
  /** First cancel cause, read by the spawn command so a child cancelled in the queue never runs. */
  volatile String cancelRequest;
  /** Set before the result completes when the spawn failed for a reason of the host. */
  volatile boolean hostFault;

  long id;
  int pidfd = -1;
  final int[] fds = {-1, -1};
  final OutputCapture[] captures;
  long startedAtMs;
  long deadlineNanos;
  boolean scheduled;
  String stopCause;
  boolean escalated;
  boolean reaped;
  private Integer exitCode;
  private String signal;
  private String error;
  private long userCpuMs;
  private long sysCpuMs;
  int descendantsKilled;
  /** The task's cgroup with the cgroup backend, else null; removed before completion. */
  TaskCgroup cgroup;
  /** When the tree was killed after the main child's exit (cgroup backend): bounds the wait for it to empty. */
  long treeKilledAtNanos;
  /**
   * Process-group backend: the task left processes at its exit, so it completes only once a
   * subreaper sweep found none of them left and its group is empty.
   */
  boolean awaitingSweep;
  /** Peak sampled group RSS; non-null only for a running child with a memory limit ({@link GroupGuard}). */
  Long maxRssBytes;

  Child(TaskSpec spec, Map<String, String> env, ChildLoop loop) {
    this.spec = spec;
    this.env = env;
    this.loop = loop;
    captures = new OutputCapture[] {
      new OutputCapture(spec.outputLimitBytes()), new OutputCapture(spec.outputLimitBytes())
    };
  }

  @Override
  public TaskSpec spec() {
    return spec;
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Integer> started() {
    return started;
  }

  @Override
  public CompletableFuture<TaskResult> result() {
    return result;
  }

  @Override
  public boolean spawnFailedOnHost() {
    return hostFault;
  }

  @Override
  public void cancel(String cause) {
    Objects.requireNonNull(cause, "cause");
    if (result.isDone()) {
      return;
    }
    if (cancelRequest == null) {
      cancelRequest = cause;
    }
    loop.submit(() -> loop.stop(this, cause));
  }

  /** The child runs; the loop completes {@link #started()} once it watches it. */
  void running(int childPid, int stdoutFd, int stderrFd, long wallMs) {
    pid = childPid;
    fds[STDOUT] = stdoutFd;
    fds[STDERR] = stderrFd;
    startedAtMs = wallMs;
  }

  boolean streamsOpen() {
    return fds[STDOUT] >= 0 || fds[STDERR] >= 0;
  }

  /** Records a wait4 status and rusage (utime, stime as timevals). */
  void exited(int status, Pointer rusage) {
    markReaped();
    if (Signals.exited(status)) {
      exitCode = Signals.exitCode(status);
    } else if (Signals.signaled(status)) {
      signal = Signals.name(Signals.termSignal(status));
    }
    userCpuMs = rusage.getLong(0) * 1000 + rusage.getLong(8) / 1000;
    sysCpuMs = rusage.getLong(16) * 1000 + rusage.getLong(24) / 1000;
    // ru_maxrss is not used: a vfork-started child inherits the worker's peak (see TaskResult)
  }

  /** The pid is no longer this child's: every subreaper in the JVM may treat what it left as orphans. */
  void markReaped() {
    reaped = true;
    Subreaper.mainChildEnded(pid);
  }

  /** CPU of the whole tree from its cgroup, which also counts descendants nobody waited for. */
  void treeCpu(long[] userSysMs) {
    userCpuMs = Math.max(userCpuMs, userSysMs[0]);
    sysCpuMs = Math.max(sysCpuMs, userSysMs[1]);
  }

  /** The exit status could not be collected; the result says so instead of guessing. */
  void statusLost(String reason) {
    markReaped();
    addError("exit status lost: " + reason);
  }

  /** A pipe was still held open by a process outside the group when the drain time ran out. */
  void streamAbandoned(int stream, long afterMs) {
    addError(STREAM_NAMES[stream] + " still held open by a process outside the task's "
        + (cgroup != null ? "cgroup" : "process group") + ";"
        + " closed " + afterMs + " ms after the exit");
  }

  void addError(String message) {
    error = error == null ? message : error + "; " + message;
  }

  TaskResult toResult(long endedAtMs) {
    Outcome outcome = stopCause != null
        ? StopCause.outcome(stopCause)
        : exitCode != null && exitCode == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
    return new TaskResult(outcome, exitCode, signal, stopCause, escalated, error, startedAtMs,
        endedAtMs, userCpuMs, sysCpuMs, maxRssBytes, descendantsKilled,
        captures[STDOUT].finish(), captures[STDERR].finish());
  }

  /** The result of a child that never ran (spawn failure, cancelled in the queue, closed); started() gets -1. */
  TaskResult notStarted(Outcome outcome, String cause, String reason) {
    long now = System.currentTimeMillis();
    started.complete(-1);
    return new TaskResult(outcome, null, null, cause, false, reason, now, now, 0, 0, null, 0,
        StreamCapture.EMPTY, StreamCapture.EMPTY);
  }

  void complete(TaskResult taskResult) {
    result.complete(taskResult);
  }
}
