package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/** What the main child leaves behind is killed (its group) or cut off (escapees holding pipes). */
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
  void setsidEscapeeIsKilledWithItsCgroup() {
    assumeTrue(cgroups(), "only a cgroup reaches a process that left the group");
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(
        sh("setsid sleep 713 & (setsid sh -c 'sleep 714 & sleep 714' &) ; sleep 0.3; echo x"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
    assertEquals("x\n", r.stdout().text());
    assertNull(r.error(), "every holder of the pipes died with the cgroup: no drain timeout");
    // sleep 713 and the two sleep 714 (plus the inner sh where dash does not exec its last command)
    assertTrue(r.descendantsKilled() >= 3, "killed " + r.descendantsKilled());
    assertTrue(System.currentTimeMillis() - t0 < 1_500);
    Procs.assertNoneLeft("sleep 713", 500);
    Procs.assertNoneLeft("sleep 714", 500);
  }

  @Test
  void setsidEscapeeHoldingThePipesIsCutOffAfterTheDrainTime() {
    assumeFalse(cgroups(), "with a cgroup per task the escapee is killed (see above)");
    try {
      long t0 = System.currentTimeMillis();
      TaskResult r = await(supervisor.start(sh("setsid sleep 709 & sleep 0.3; echo x"), null));

      assertEquals(Outcome.SUCCEEDED, r.outcome());
      assertEquals("x\n", r.stdout().text());
      assertTrue(r.error().contains("stdout still held open by a process outside the task's process group"),
          r.error());
      assertTrue(System.currentTimeMillis() - t0 < 1_500);
    } finally {
      // not reachable by process group: containment by cgroup is a later issue
      Procs.matching("sleep 709").forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      Procs.assertNoneLeft("sleep 709", 1_000);
    }
  }
}
