package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the projection keeps for the fleet view: running tasks per worker, finish events, open batches. */
class FleetLedgerTest {
  private final Projection p = new Projection(1_000_000, () -> 50_000L);

  private ProjectionSnapshot snap() {
    return p.fleetSnapshot(50, 10, 0);
  }

  private static TaskStarted started(int seq, int attempt, String worker, long at) {
    return new TaskStarted(1, "bl", "bl." + seq, seq, attempt, worker, "h", at);
  }

  @Test
  void runningTasksFollowTheirWorkerAndFinishEventsCountOncePerAttempt() {
    p.applyAccepted(new ResultEvent.BatchAccepted(1, "bl", "n", 2, 1_000));
    assertEquals(List.of("bl"), snap().batches().stream().map(b -> b.batchId()).toList());
    p.applyStarted(started(1, 1, "w1", 2_000));
    p.applyStarted(started(2, 1, "w1", 2_000));
    assertEquals(Map.of("w1", List.of("bl.1", "bl.2")), snap().runningByWorker());

    // redelivered to w2 (another run of the same attempt): the task moves
    p.applyStarted(started(1, 1, "w2", 3_000));
    assertEquals(Map.of("w1", List.of("bl.2"), "w2", List.of("bl.1")), snap().runningByWorker());

    p.applyFinished(ProjectionTest.finished("bl", 2, 1, Outcome.FAILED, 1, 2_000, 2_500), 0, 1);
    p.applyFinished(ProjectionTest.finished("bl", 2, 1, Outcome.FAILED, 1, 2_000, 2_500), 0, 1); // a duplicate
    assertEquals(Map.of("w2", List.of("bl.1")), snap().runningByWorker());
    assertEquals(1, snap().finishedByOutcome()[Outcome.FAILED.ordinal()]);

    // a second attempt of the failed task runs: RUNNING again, and the FAILED event stays counted
    p.applyStarted(started(2, 2, "w1", 4_000));
    assertEquals(Map.of("w1", List.of("bl.2"), "w2", List.of("bl.1")), snap().runningByWorker());
    p.applyFinished(ProjectionTest.finished("bl", 2, 2, Outcome.SUCCEEDED, 0, 4_000, 4_100), 0, 2);
    p.applyFinished(ProjectionTest.finished("bl", 1, 1, Outcome.SUCCEEDED, 0, 3_000, 4_200), 0, 3);
    ProjectionSnapshot s = snap();
    assertEquals(Map.of(), s.runningByWorker());
    assertEquals(1, s.finishedByOutcome()[Outcome.FAILED.ordinal()]);
    assertEquals(2, s.finishedByOutcome()[Outcome.SUCCEEDED.ordinal()]);
    assertEquals(3, s.finishedTotal());
    assertEquals(1, s.batchesAccepted());
    assertEquals(2, s.tasksAccepted());
    assertEquals(0, s.openBatches(), "every task done");
    assertEquals("SUCCEEDED", s.batches().get(0).state(), "shown as recently finished");
    assertEquals(0, p.fleetSnapshot(50, 10, 5_000).batches().size(), "finished before the cut-off: not shown");
  }
}
