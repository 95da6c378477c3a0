package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.MIB;
import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The acceptance cases of ../shared/cases/lifecycle.md about many children at once (L10, L14,
 * L18), at the supervisor, with the worker's cap played by a semaphore.
 */
class LifecycleCasesTest extends SupervisedTest {

  /** Runs {@code n} tasks, at most {@code cap} at once; returns the results in order. */
  private static List<TaskResult> runCapped(int n, int cap, IntFunction<TaskSpec> task, AtomicInteger unreapedAtEnd)
      throws InterruptedException {
    Semaphore slots = new Semaphore(cap);
    List<ChildHandle> handles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      slots.acquire();
      ChildHandle h = supervisor.start(task.apply(i), null);
      h.result().whenComplete((r, e) -> {
        // the result must come after the reap: the pid is gone from /proc when it completes
        if (r != null && r.startedAtMs() > 0 && Files.exists(Path.of("/proc/" + h.pid()))) {
          unreapedAtEnd.incrementAndGet();
        }
        slots.release();
      });
      handles.add(h);
    }
    List<TaskResult> results = new ArrayList<>();
    for (ChildHandle h : handles) {
      results.add(await(h, 60));
    }
    return results;
  }

  @Test
  void fiveHundredTimeoutsAreAllReapedBeforeTheirResults() throws Exception { // L10
    AtomicInteger unreaped = new AtomicInteger();
    List<TaskResult> results = runCapped(500, 50, i -> sh("sleep 710; true", 1_000, 1_000, MIB), unreaped);

    for (TaskResult r : results) {
      assertEquals(Outcome.TIMED_OUT, r.outcome(), r.toString());
      assertEquals("timeout", r.cause());
    }
    assertEquals(0, unreaped.get(), "results completed while their child was still in /proc");
    Procs.assertNoneLeft("sleep 710", 1_000);
  }

  /** setrlimit(2) for the test JVM's own fd limit. */
  interface Rlimits extends Library {
    Rlimits C = Native.load("c", Rlimits.class);
    int RLIMIT_NOFILE = 7;

    int getrlimit(int resource, long[] rlim);

    int setrlimit(int resource, long[] rlim);
  }

  @Test
  void thousandsOfSpawnsAndSpawnFailuresUnderAnFdLimitLeakNothing() throws Exception { // L14
    long[] saved = new long[2];
    assertEquals(0, Rlimits.C.getrlimit(Rlimits.RLIMIT_NOFILE, saved));
    assertEquals(0, Rlimits.C.setrlimit(Rlimits.RLIMIT_NOFILE, new long[] {1024, saved[1]}), "ulimit -n 1024");
    try {
      await(supervisor.start(sh("true"), null)); // class loading and JIT of the path happen once
      int fds = Procs.openFds();
      AtomicInteger unreaped = new AtomicInteger();
      List<TaskResult> ok = runCapped(3_000, 16, i -> sh("true"), unreaped);
      List<TaskResult> bad = runCapped(3_000, 16,
          i -> Tasks.spec("true", null, Map.of(), "/nonexistent/dir", 10_000, 1_000, MIB), unreaped);

      assertTrue(ok.stream().allMatch(r -> r.outcome() == Outcome.SUCCEEDED),
          ok.stream().filter(r -> !r.outcome().ok()).findFirst().map(TaskResult::toString).orElse(""));
      for (TaskResult r : bad) {
        assertEquals(Outcome.SPAWN_FAILED, r.outcome(), r.toString());
        assertTrue(r.error().contains("/nonexistent/dir") && !r.error().contains("Too many open files"), r.error());
      }
      assertEquals(0, unreaped.get());
      int after = Procs.settle(Procs::openFds, fds, 2_000);
      assertTrue(after <= fds, "open fds back to baseline: " + fds + " before, " + after + " after");
    } finally {
      Rlimits.C.setrlimit(Rlimits.RLIMIT_NOFILE, saved);
    }
  }

  @Test
  void endlessOutputKeepsExactlyTheLimitWithBoundedHeap() throws Exception { // L18
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    List<ChildHandle> handles = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      handles.add(supervisor.start(sh("cat /dev/urandom", 3_000, 1_000, MIB), null));
    }
    for (ChildHandle h : handles) {
      TaskResult r = await(h, 30);
      // the documented policy: output past the limit is drained and counted, never a failure;
      // the task ends by its timeout
      assertEquals(Outcome.TIMED_OUT, r.outcome(), r.toString());
      assertEquals(MIB, r.stdout().keptBytes());
      assertTrue(r.stdout().truncated());
      assertTrue(r.stdout().totalBytes() > 4 * MIB, "drained, not blocked: " + r.stdout().totalBytes());
    }
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    assertTrue(heapAfter - heapBefore < 64 * MIB,
        "heap grew by " + (heapAfter - heapBefore) / MIB + " MiB for 8 captures of 1 MiB");
    Procs.assertNoneLeft("cat /dev/urandom", 1_000);
  }
}
