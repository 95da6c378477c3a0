package io.fleetrun.worker.process;

import io.fleetrun.common.testing.LeakGuard;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many children: one thread, no fd, thread or zombie left behind. */
@ExtendWith(LeakGuard.class)
class ScaleTest {

  @AfterEach
  void noZombies() {
    Procs.assertNoZombieChildren();
  }

  @Test
  void twoHundredConcurrentTasksReturnFdsAndThreadsToBaseline() {
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Tasks.containment())) {
      await(supervisor.start(sh("echo warm-up"), null)); // JNA and class loading happen once
      int fds = Procs.openFds();
      int threads = Procs.threads();

      List<ChildHandle> handles = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        handles.add(supervisor.start(sh("echo $FLEETRUN_SEQ; echo err >&2"), null));
      }
      for (ChildHandle h : handles) {
        TaskResult r = await(h, 30);
        assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
        assertEquals(h.spec().seq() + "\n", r.stdout().text());
        assertEquals("err\n", r.stderr().text());
      }

      assertEquals(0, supervisor.liveChildren());
      // at most the baseline: the JVM may close an fd of its own meanwhile (a jar, a GC'd stream)
      int after = Procs.settle(Procs::openFds, fds, 2_000);
      assertTrue(after <= fds, "open fds back to baseline: " + fds + " before, " + after + " after");
      assertTrue(Procs.settle(Procs::threads, threads, 2_000) <= threads, "threads back to baseline");
    }
  }

  /** How many live processes match {@code fragment}, waiting up to {@code millis} for {@code n}. */
  private static int awaitCount(String fragment, int n, long millis) {
    long end = System.currentTimeMillis() + millis;
    int count = Procs.matching(fragment).size();
    while (count != n && System.currentTimeMillis() < end) {
      Procs.sleep(20);
      count = Procs.matching(fragment).size();
    }
    return count;
  }

  @Test
  void fiftySleepingChildrenShareOneLoopThread() {
    int threadsBefore = Procs.threads();
    int javaThreadsBefore = Thread.getAllStackTraces().size();
    List<ChildHandle> handles = new ArrayList<>();
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Tasks.containment())) {
      for (int i = 0; i < 50; i++) {
        handles.add(supervisor.start(Tasks.argv(List.of("sleep", "750"), null), null));
      }
      handles.forEach(Tasks::awaitStarted);

      assertEquals(50, supervisor.liveChildren());
      assertEquals(50, awaitCount("sleep 750", 50, 2_000), "sleep 750 processes in /proc");
      assertEquals(1, Procs.threadsNamed(ProcessSupervisor.THREAD_NAME));
      int threads = Procs.threads();
      int javaThreads = Thread.getAllStackTraces().size();
      System.out.printf("threads: %d before the supervisor, %d with 50 children (%d Java threads, %d before)%n",
          threadsBefore, threads, javaThreads, javaThreadsBefore);
      assertTrue(javaThreads <= javaThreadsBefore + 1, javaThreads + " Java threads with 50 children, "
          + javaThreadsBefore + " before: only the loop thread may be added");
      // the OS count also holds JIT compiler threads the JVM adds on demand while new code warms up
      assertTrue(threads <= threadsBefore + 4, threads + " threads with 50 children, " + threadsBefore + " before");
    }
    handles.forEach(h -> assertEquals("shutdown", h.result().join().cause()));
    Procs.assertNoneLeft("sleep 750", 1_000);
  }

  @Test
  void withoutPidfdExitsArePolledAndTimersStillWork() {
    try (ProcessSupervisor supervisor = new ProcessSupervisor(false, Tasks.containment())) {
      List<ChildHandle> handles = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        handles.add(supervisor.start(sh("echo polled; exit 3"), null));
      }
      ChildHandle slow = supervisor.start(sh("sleep 751", 300, 500, 1024), null);

      for (ChildHandle h : handles) {
        TaskResult r = await(h);
        assertEquals(3, r.exitCode());
        assertEquals("polled\n", r.stdout().text());
      }
      TaskResult r = await(slow);
      assertEquals(Outcome.TIMED_OUT, r.outcome());
      assertEquals("TERM", r.signal());
    }
    Procs.assertNoneLeft("sleep 751", 1_000);
  }
}
