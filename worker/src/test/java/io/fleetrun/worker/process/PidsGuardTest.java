package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.pidsLimited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/** The process-count guard: a group with more live processes than its pidsLimit is stopped. */
class PidsGuardTest extends SupervisedTest {
  @Test
  void aGroupWithMoreProcessesThanItsLimitIsStoppedAsPidsLimit() {
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(
        pidsLimited("for i in $(seq 30); do sleep 786 & done; wait", 10, 1_000), null));
    long took = System.currentTimeMillis() - t0;

    assertEquals(Outcome.PIDS_LIMIT, r.outcome(), r.toString());
    assertEquals(StopCause.PIDS, r.cause());
    assertNull(r.maxRssBytes(), "no memory limit, no peak reported");
    assertTrue(took < 5_000, "ended after " + took + " ms");
    Procs.assertNoneLeft("sleep 786", 1_000);
  }

  @Test
  void aForkLoopIsStoppedAndLeavesNothing() {
    // keeps forking until stopped: the guard must stop it, and the group kill must catch up
    TaskResult r = await(supervisor.start(
        pidsLimited("while true; do sleep 787 & done", 20, 500), null));

    assertEquals(Outcome.PIDS_LIMIT, r.outcome(), r.toString());
    Procs.assertNoneLeft("sleep 787", 2_000);
  }

  @Test
  void aGroupWithinItsLimitRunsToTheEnd() {
    TaskResult r = await(supervisor.start(
        pidsLimited("sleep 0.3 & sleep 0.3 & wait; echo fine", 5, 1_000), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
    assertEquals("fine\n", r.stdout().text());
  }
}
