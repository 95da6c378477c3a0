package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.fail;

import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Task specs and bounded waits for the supervisor tests. */
final class Tasks {
  static final long MIB = 1024 * 1024;
  private static final AtomicInteger SEQ = new AtomicInteger();

  private Tasks() {}

  /**
   * The backend the supervisor tests run with: system property {@code fleetrun.containment}
   * (auto, cgroup, pgroup; default auto). The build runs the supervisor tests once with auto
   * (cgroup on a host that allows it), once with cgroup-v1 and once with pgroup, so every backend
   * passes every case. A cgroup-v1 run is skipped (assumption) where the host has no writable
   * freezer hierarchy.
   */
  static Containment containment() {
    Containment c = Containment.parse(System.getProperty("fleetrun.containment", "auto"));
    if (c == Containment.CGROUP_V1) {
      try {
        CgroupV1Test.assumeFreezer();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return c;
  }

  /** {@code /bin/sh -c cmd} with a 30 s timeout, 2 s grace and 1 MiB output limit. */
  static TaskSpec sh(String cmd) {
    return sh(cmd, 30_000, 2_000, MIB);
  }

  static TaskSpec sh(String cmd, long timeoutMs, long graceMs, long outputLimit) {
    return spec(cmd, null, Map.of(), null, timeoutMs, graceMs, outputLimit);
  }

  /** {@code /bin/sh -c cmd} with a resident-memory limit, a 20 s timeout and 1 MiB output limit. */
  static TaskSpec guarded(String cmd, long memoryLimitBytes, long graceMs) {
    TaskSpec s = sh(cmd, 20_000, graceMs, MIB);
    return new TaskSpec(s.v(), s.batchId(), s.taskId(), s.seq(), s.attempt(), s.cmd(), s.argv(), s.env(),
        s.cwd(), s.timeoutMs(), s.killGraceMs(), s.outputLimitBytes(), memoryLimitBytes, s.pidsLimit(),
        s.submittedAtMs());
  }

  /** {@code /bin/sh -c cmd} with a process-count limit, a 20 s timeout and 1 MiB output limit. */
  static TaskSpec pidsLimited(String cmd, int pidsLimit, long graceMs) {
    TaskSpec s = sh(cmd, 20_000, graceMs, MIB);
    return new TaskSpec(s.v(), s.batchId(), s.taskId(), s.seq(), s.attempt(), s.cmd(), s.argv(), s.env(),
        s.cwd(), s.timeoutMs(), s.killGraceMs(), s.outputLimitBytes(), s.memoryLimitBytes(), pidsLimit,
        s.submittedAtMs());
  }

  static TaskSpec argv(List<String> argv, String cwd) {
    return spec(null, argv, Map.of(), cwd, 10_000, 1_000, MIB);
  }

  static TaskSpec spec(
      String cmd, List<String> argv, Map<String, String> env, String cwd, long timeoutMs, long graceMs,
      long outputLimit) {
    int seq = SEQ.incrementAndGet();
    return new TaskSpec(TaskSpec.VERSION, "batch-test", "task-" + seq, seq, 1, cmd, argv, env, cwd,
        timeoutMs, graceMs, outputLimit, null, null, System.currentTimeMillis());
  }

  /** The result, failing the test after {@code seconds}. */
  static TaskResult await(ChildHandle handle, long seconds) {
    try {
      return handle.result().get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no result for " + handle.spec().display() + " within " + seconds + " s");
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  static TaskResult await(ChildHandle handle) {
    return await(handle, 20);
  }

  /** Waits until the child runs and returns its pid. */
  static int awaitStarted(ChildHandle handle) {
    try {
      return handle.started().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("child did not start: " + handle.spec().display(), e);
    }
  }
}
