package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/** What the main child leaves behind is killed: its group, and processes that left the group. */
class DescendantsTest extends SupervisedTest {

  @Test
  void backgroundChildHoldingStdoutIsKilledAndCounted() { // L03b
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(sh("sleep 704 & echo done"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals("done\n", r.stdout().text());
    assertEquals(1, r.descendantsKilled());
    assertNull(r.error(), "the pipe ended because the group died, not by the drain timeout");
    assertTrue(System.currentTimeMillis() - t0 < 2_000);
    Procs.assertNoneLeft("sleep 704", 500);
  }

  @Test
  void detachedSubshellChildIsKilledAtCleanup() { // L07
    TaskResult r = await(supervisor.start(sh("(sleep 708 >/dev/null 2>&1 &) & echo started"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals("started\n", r.stdout().text());
    assertTrue(r.descendantsKilled() >= 1, "killed " + r.descendantsKilled());
    Procs.assertNoneLeft("sleep 708", 1_000);
  }

  @Test
  void setsidEscapeesHoldingThePipesAreKilledAndCounted() {
    // a cgroup holds them; with process groups they are adopted by the worker as subreaper
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(
        sh("setsid sleep 713 & (setsid sh -c 'sleep 714 & sleep 714' &) ; sleep 0.3; echo x"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
    assertEquals("x\n", r.stdout().text());
    assertNull(r.error(), "every holder of the pipes was killed: no drain timeout");
    // sleep 713 and the two sleep 714 (plus the inner sh where dash does not exec its last command)
    assertTrue(r.descendantsKilled() >= 3, "killed " + r.descendantsKilled());
    assertTrue(System.currentTimeMillis() - t0 < 1_500);
    Procs.assertNoneLeft("sleep 713", 500);
    Procs.assertNoneLeft("sleep 714", 500);
  }

  @Test
  void setsidEscapeeWithoutThePipesIsKilledSoonAfterItsTask() {
    TaskResult r = await(supervisor.start(sh("setsid sleep 709 >/dev/null 2>&1 & echo x"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
    assertEquals("x\n", r.stdout().text());
    // a cgroup kills it with the task; the subreaper's next sweep (every second) otherwise
    Procs.assertNoneLeft("sleep 709", cgroups() ? 500 : 2_500);
    awaitNoZombieChildren();
  }

  @Test
  void escapeeThatKeepsForkingCannotOutrunTheKill() {
    TaskResult r = await(supervisor.start(
        sh("setsid sh -c 'while :; do sleep 716 & sleep 0.01; done' & sleep 0.3; echo x"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
    assertTrue(r.descendantsKilled() >= 5, "the forking shell and its sleeps: " + r.descendantsKilled());
    Procs.assertNoneLeft("sleep 716", 1_000);
    Procs.assertNoneLeft("while :", 500);
    awaitNoZombieChildren();
  }

  /** Killed adopted processes are reaped by the subreaper's next sweep, a few ms later. */
  private static void awaitNoZombieChildren() {
    long end = System.currentTimeMillis() + 2_000;
    while (!Procs.zombieChildren().isEmpty() && System.currentTimeMillis() < end) {
      Procs.sleep(10);
    }
    Procs.assertNoZombieChildren();
  }
}
