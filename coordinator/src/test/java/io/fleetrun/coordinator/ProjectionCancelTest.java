package io.fleetrun.coordinator;

import static io.fleetrun.coordinator.ProjectionTest.finished;
import static io.fleetrun.coordinator.ProjectionTest.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.coordinator.ApiViews.BatchSummary;
import org.junit.jupiter.api.Test;

/** The fold of control records: batch-level cancels and how they decide the batch state. */
class ProjectionCancelTest {
  private static final String B = "bcancel1";
  private final Projection p = new Projection(1_000_000, () -> 10_000L);

  private void accept(String batch, int n) {
    p.applyAccepted(new ResultEvent.BatchAccepted(1, batch, "name-" + batch, n, 1000));
  }

  private BatchSummary summary(String batch) {
    return p.batch(batch).orElseThrow();
  }

  @Test
  void aCancelledBatchStaysRunningUntilEveryTaskEndsThenIsCancelled() {
    accept(B, 3);
    p.applyStarted(started(B, 1, 1, 2000));
    p.applyStarted(started(B, 2, 1, 2000));
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2100), 0, 1);
    p.applyControl(ControlMessage.cancelBatch(B, 2500), 7);
    BatchSummary running = summary(B);
    assertEquals("RUNNING", running.state(), "tasks still run after the cancel request");
    assertEquals(2500L, running.cancelRequestedAtMs());
    assertNull(running.finishedAtMs());

    // the running task gets the stop sequence, the queued one is never spawned
    p.applyFinished(finished(B, 2, 1, Outcome.CANCELLED, null, 2000, 2600), 0, 2);
    p.applyFinished(finished(B, 3, 1, Outcome.CANCELLED, null, -1, 2600), 0, 3);
    BatchSummary done = summary(B);
    assertEquals("CANCELLED", done.state());
    assertEquals(3, done.done());
    assertEquals(2, done.counts().get("CANCELLED"));
    assertEquals(1, done.counts().get("SUCCEEDED"));
    assertEquals(2600L, done.finishedAtMs());
    assertEquals(2500L, done.cancelRequestedAtMs());
  }

  @Test
  void aBatchNotStartedWhenCancelledStaysAcceptedWithTheRequestShown() {
    accept(B, 2);
    p.applyControl(ControlMessage.cancelBatch(B, 3000), 0);
    assertEquals("ACCEPTED", summary(B).state());
    assertEquals(3000L, summary(B).cancelRequestedAtMs());
  }

  @Test
  void aTaskCancelLeavesTheBatchRuleAloneSoTheBatchEndsFailed() {
    accept(B, 2);
    p.applyControl(ControlMessage.cancelTask(B, B + ".2", 3000), 0);
    assertNull(summary(B).cancelRequestedAtMs(), "only a batch-level cancel is shown");
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2100), 0, 1);
    p.applyFinished(finished(B, 2, 1, Outcome.CANCELLED, null, -1, 3100), 0, 2);
    assertEquals("FAILED", summary(B).state());
    assertEquals(1, summary(B).counts().get("CANCELLED"));
  }

  @Test
  void aCancelReadBeforeItsBatchIsAttachedWhenTheBatchAppears() {
    // at start the control topic may be read before the results topic
    p.applyControl(ControlMessage.cancelBatch(B, 4000), 3);
    assertTrue(p.batch(B).isEmpty(), "a cancel alone does not make a batch");
    assertEquals(0, p.batches(0, 10).total());
    accept(B, 1);
    p.applyFinished(finished(B, 1, 1, Outcome.CANCELLED, null, -1, 4100), 0, 1);
    assertEquals("CANCELLED", summary(B).state());
    assertEquals(4000L, summary(B).cancelRequestedAtMs());
  }

  @Test
  void theCancelWithTheHighestOffsetWinsAsCompactionWouldKeepIt() {
    accept(B, 1);
    p.applyControl(ControlMessage.cancelBatch(B, 5000), 10);
    p.applyControl(ControlMessage.cancelBatch(B, 4000), 4); // an older record applied late
    assertEquals(5000L, summary(B).cancelRequestedAtMs());
    p.applyControl(ControlMessage.cancelBatch(B, 5000), 10); // the same record read back
    p.applyControl(ControlMessage.cancelBatch(B, 6000), 11);
    assertEquals(6000L, summary(B).cancelRequestedAtMs());
  }

  @Test
  void aBatchWithoutCancelEndsAsBeforeWithANullRequestTime() {
    accept(B, 1);
    p.applyControl(ControlMessage.cancelBatch("bother", 1), 0);
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2100), 0, 1);
    assertEquals("SUCCEEDED", summary(B).state());
    assertNull(summary(B).cancelRequestedAtMs());
  }

  @Test
  void aCancelAfterEveryTaskEndedLeavesTheBatchAsItWas() {
    accept(B, 2);
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2100), 0, 1);
    p.applyFinished(finished(B, 2, 1, Outcome.SUCCEEDED, 0, 2000, 2200), 0, 2);
    p.applyControl(ControlMessage.cancelBatch(B, 9000), 8);
    assertEquals("SUCCEEDED", summary(B).state(), "the cancel stopped nothing");
    assertEquals(9000L, summary(B).cancelRequestedAtMs());
  }
}
