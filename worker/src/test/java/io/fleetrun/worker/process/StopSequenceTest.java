package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.awaitStarted;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stop sequence: SIGTERM to the whole group, SIGKILL after the grace, cause recorded. */
class StopSequenceTest extends SupervisedTest {

  @Test
  void timeoutKeepsPartialOutputAndKillsTheSleeper() { // L03a
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(sh("printf partial; sleep 703; true", 2_000, 2_000, 1024), null));

    assertEquals(Outcome.TIMED_OUT, r.outcome());
    assertEquals("partial", r.stdout().text());
    assertTrue(System.currentTimeMillis() - t0 < 5_000);
    Procs.assertNoneLeft("sleep 703", 1_000);
  }

  @Test
  void timeoutKillsBackgroundChildrenOfTheGroup() {
    TaskResult r = await(supervisor.start(
        sh("sleep 711 & (sleep 712; true) & echo spawned; wait", 1_000, 1_000, 1024), null));

    assertEquals(Outcome.TIMED_OUT, r.outcome());
    assertEquals("spawned\n", r.stdout().text());
    Procs.assertNoneLeft("sleep 711", 1_000);
    Procs.assertNoneLeft("sleep 712", 1_000);
  }

  @Test
  void ignoredTermIsEscalatedToKillAfterTheGrace() { // L05
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(sh("trap '' TERM; sleep 706; true", 3_000, 2_000, 1024), null));
    long took = System.currentTimeMillis() - t0;

    assertEquals(Outcome.TIMED_OUT, r.outcome());
    assertTrue(r.escalatedToKill());
    assertEquals("KILL", r.signal());
    assertNull(r.exitCode());
    assertTrue(took >= 4_900 && took < 6_000, "ended after " + took + " ms");
    Procs.assertNoneLeft("sleep 706", 1_000);
  }

  @Test
  void cancelStopsTheTreeAndTheFirstCauseWins() { // L04
    ChildHandle h = supervisor.start(sh("sleep 705 >/dev/null 2>&1; true", 30_000, 3_000, 1024), null);
    awaitStarted(h);
    Procs.sleep(1_000);
    long cancelledAt = System.currentTimeMillis();
    h.cancel(StopCause.CANCEL);
    h.cancel("something else");
    TaskResult r = await(h);

    assertEquals(Outcome.CANCELLED, r.outcome());
    assertEquals("cancel", r.cause());
    assertTrue(r.endedAtMs() - cancelledAt < 4_000);
    Procs.assertNoneLeft("sleep 705", 1_000);
    h.cancel(StopCause.CANCEL); // after the end: no effect, no error
  }

  @Test
  void termHandlerRunsAndACleanExitIsStillCancelled() throws Exception { // L06
    Path lock = Path.of("/tmp/l06-" + Procs.SELF + ".lock");
    String cmd = "trap 'echo cleaning >&2; rm -f " + lock + "; exit 0' TERM; touch " + lock
        + "; sleep 707 & wait";
    ChildHandle h = supervisor.start(sh(cmd, 30_000, 10_000, 1024), null);
    awaitStarted(h);
    Procs.sleep(1_000);
    assertTrue(Files.exists(lock));
    long cancelledAt = System.currentTimeMillis();
    h.cancel(StopCause.CANCEL);
    TaskResult r = await(h);

    assertEquals(Outcome.CANCELLED, r.outcome());
    assertEquals(0, r.exitCode(), "raw exit status recorded");
    assertNull(r.signal());
    assertFalse(r.escalatedToKill());
    assertEquals("cleaning\n", r.stderr().text());
    assertFalse(Files.exists(lock));
    assertTrue(r.endedAtMs() - cancelledAt < 1_500, "ended " + (r.endedAtMs() - cancelledAt) + " ms after cancel");
    Procs.assertNoneLeft("sleep 707", 1_000);
  }

  @Test
  void cancelRightAfterStartEndsCancelledWhetherOrNotItRan() {
    ChildHandle h = supervisor.start(sh("sleep 715"), null);
    h.cancel(StopCause.CANCEL);
    TaskResult r = await(h);

    assertEquals(Outcome.CANCELLED, r.outcome());
    assertEquals("cancel", r.cause());
    Procs.assertNoneLeft("sleep 715", 1_000);
  }

  @Test
  void closeStopsEveryChildAndRefusesNewOnes() {
    ProcessSupervisor own = new ProcessSupervisor(Tasks.containment());
    List<ChildHandle> handles = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      handles.add(own.start(sh("sleep 714"), null));
    }
    handles.forEach(Tasks::awaitStarted);
    own.close();

    for (ChildHandle h : handles) {
      assertTrue(h.result().isDone(), "close() returns only after every result");
      TaskResult r = h.result().join();
      assertEquals(Outcome.CANCELLED, r.outcome(), r.toString());
      assertEquals("shutdown", r.cause());
    }
    TaskResult late = own.start(sh("sleep 714"), null).result().join();
    assertEquals(Outcome.CANCELLED, late.outcome());
    assertEquals(0, own.liveChildren());
    assertEquals(1, Procs.threadsNamed(ProcessSupervisor.THREAD_NAME), "only the shared supervisor's loop is left");
    Procs.assertNoneLeft("sleep 714", 1_000);
  }
}
