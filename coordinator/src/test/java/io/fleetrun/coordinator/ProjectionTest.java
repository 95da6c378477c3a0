package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.coordinator.ApiViews.BatchSummary;
import io.fleetrun.coordinator.ApiViews.TaskItem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure fold: hand-made events in, counts and states out. */
class ProjectionTest {
  private static final String B = "bproj1";
  private long now = 10_000;
  private final Projection p = new Projection(1_000_000, () -> now);

  static TaskStarted started(String batch, int seq, int attempt, long at) {
    return new TaskStarted(1, batch, batch + "." + seq, seq, attempt, "w1", "host1", at);
  }

  static TaskFinished finished(String batch, int seq, int attempt, Outcome o, Integer exit, long start, long end) {
    TaskResult r = new TaskResult(o, exit, null, o == Outcome.TIMED_OUT ? "timeout" : null, false, null,
        start, end, 1, 1, 1000L, 0, new StreamCapture("out", "", 3, 3, false, false), StreamCapture.EMPTY);
    return new TaskFinished(1, batch, batch + "." + seq, seq, attempt, "w1", "host1", r);
  }

  private void accept(String batch, int n) {
    p.applyAccepted(new ResultEvent.BatchAccepted(1, batch, "name-" + batch, n, 1000));
  }

  private BatchSummary summary(String batch) {
    return p.batch(batch).orElseThrow();
  }

  @Test
  void acceptedBatchWithNothingStartedIsAcceptedAndAllQueued() {
    accept(B, 3);
    BatchSummary s = summary(B);
    assertEquals("ACCEPTED", s.state());
    assertEquals(3, s.taskCount());
    assertEquals(3, s.counts().get("QUEUED"));
    assertEquals(0, s.done());
    assertEquals(11, s.counts().size(), "QUEUED, RUNNING and every Outcome");
    assertEquals(1000L, s.acceptedAtMs());
    assertEquals(9000L, s.elapsedMs());
    assertNull(s.finishedAtMs());
  }

  @Test
  void startsAndFinishesFoldIntoCountsAndFinalState() {
    accept(B, 3);
    p.applyStarted(started(B, 1, 1, 2000));
    p.applyStarted(started(B, 2, 1, 2100));
    assertEquals("RUNNING", summary(B).state());
    assertEquals(2, summary(B).counts().get("RUNNING"));
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2500), 0, 10);
    p.applyFinished(finished(B, 2, 1, Outcome.TIMED_OUT, null, 2100, 3000), 0, 11);
    p.applyFinished(finished(B, 3, 1, Outcome.FAILED, 3, 2200, 2600), 1, 5);
    BatchSummary s = summary(B);
    assertEquals("FAILED", s.state());
    assertEquals(3, s.done());
    assertEquals(1, s.counts().get("SUCCEEDED"));
    assertEquals(1, s.counts().get("TIMED_OUT"));
    assertEquals(1, s.counts().get("FAILED"));
    assertEquals(0, s.counts().get("RUNNING"));
    assertEquals(0, s.counts().get("QUEUED"));
    assertEquals(2000L, s.firstStartedAtMs());
    assertEquals(3000L, s.finishedAtMs());
    assertEquals(2000L, s.elapsedMs());
  }

  @Test
  void allSucceededMakesTheBatchSucceeded() {
    accept(B, 2);
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 1, 2), 0, 1);
    p.applyFinished(finished(B, 2, 1, Outcome.SUCCEEDED, 0, 1, 3), 0, 2);
    assertEquals("SUCCEEDED", summary(B).state());
  }

  @Test
  void duplicateAndOutOfOrderEventsAreFoldedOnce() {
    accept(B, 2);
    // FINISHED before STARTED: the late STARTED must not make the task RUNNING again
    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 2000, 2500), 0, 7);
    p.applyStarted(started(B, 1, 1, 2000));
    p.applyStarted(started(B, 1, 1, 2000));
    // a duplicate FINISHED with another outcome is ignored
    p.applyFinished(finished(B, 1, 1, Outcome.FAILED, 1, 2000, 2600), 0, 8);
    p.applyStarted(started(B, 2, 1, 2100));
    p.applyStarted(started(B, 2, 1, 2100));
    BatchSummary s = summary(B);
    assertEquals(1, s.counts().get("SUCCEEDED"));
    assertEquals(0, s.counts().get("FAILED"));
    assertEquals(1, s.counts().get("RUNNING"));
    assertEquals(1, s.done());
    TaskLookup t = p.task(B + ".1").orElseThrow();
    assertEquals("SUCCEEDED", t.state());
    assertEquals(1, t.attempts().size());
    assertEquals(7, t.attempts().get(0).resultOffset(), "the first FINISHED record is the one kept");
  }

  @Test
  void aNewerAttemptDecidesTheStateAndOlderAttemptsAreKept() {
    accept(B, 1);
    p.applyStarted(started(B, 1, 1, 2000));
    p.applyStarted(started(B, 1, 2, 5000));
    assertEquals(1, summary(B).counts().get("RUNNING"));
    // attempt 1's end arrives late: recorded, but attempt 2 still decides the state
    p.applyFinished(finished(B, 1, 1, Outcome.LOST, null, 2000, 4000), 2, 1);
    assertEquals("RUNNING", summary(B).state());
    p.applyFinished(finished(B, 1, 2, Outcome.SUCCEEDED, 0, 5000, 6000), 2, 2);
    assertEquals("SUCCEEDED", summary(B).state());
    TaskLookup t = p.task(B + ".1").orElseThrow();
    assertEquals(List.of(1, 2), t.attempts().stream().map(TaskLookup.AttemptRef::attempt).toList());
    assertEquals(1, t.attempts().get(0).resultOffset());
    assertEquals(2, t.attempts().get(1).resultOffset());
  }

  @Test
  void tasksWithoutBatchAcceptedShowAsIncompleteWithTheTasksSeen() {
    p.applyTaskRecord("bcrash", 1, 1, "echo 1", 3, 100);
    p.applyTaskRecord("bcrash", 2, 1, "echo 2", 4, 100);
    p.applyStarted(started("bcrash", 2, 1, 2000));
    BatchSummary s = summary("bcrash");
    assertEquals("INCOMPLETE", s.state());
    assertEquals(2, s.taskCount());
    assertEquals(1, s.counts().get("QUEUED"));
    assertEquals(1, s.counts().get("RUNNING"));
    assertNull(s.acceptedAtMs());
    // accepted later (the tasks topic was read before the results topic): a normal batch
    accept("bcrash", 2);
    assertEquals("RUNNING", summary("bcrash").state());
  }

  @Test
  void taskListingFiltersByStateAndPagesInSeqOrder() {
    accept(B, 5);
    for (int seq = 1; seq <= 5; seq++) {
      p.applyTaskRecord(B, seq, 1, "echo " + seq, 0, seq);
    }
    p.applyFinished(finished(B, 2, 1, Outcome.FAILED, 2, 100, 150), 0, 20);
    p.applyFinished(finished(B, 4, 1, Outcome.FAILED, 4, 100, 170), 0, 21);
    p.applyStarted(started(B, 5, 1, 100));
    var failed = p.tasks(B, Projection.stateCode("FAILED"), 0, 100).orElseThrow();
    assertEquals(2, failed.total());
    assertEquals(List.of(2, 4), failed.items().stream().map(TaskItem::seq).toList());
    TaskItem second = failed.items().get(1);
    assertEquals(B + ".4", second.taskId());
    assertEquals("echo 4", second.cmd());
    assertEquals(4, second.exitCode());
    assertEquals(70L, second.durationMs());
    assertEquals(3L, second.stdoutBytes());
    var queued = p.tasks(B, Projection.stateCode("QUEUED"), 1, 1).orElseThrow();
    assertEquals(2, queued.total());
    assertEquals(List.of(3), queued.items().stream().map(TaskItem::seq).toList());
    var all = p.tasks(B, null, 0, 100).orElseThrow();
    assertEquals(5, all.total());
    assertEquals("RUNNING", all.items().get(4).state());
    assertTrue(p.tasks("bnope", null, 0, 10).isEmpty());
  }

  @Test
  void longCommandsAreShortenedAndUnknownFiltersAreRejected() {
    p.applyTaskRecord(B, 1, 1, "x".repeat(5000), 0, 1);
    String cmd = p.tasks(B, null, 0, 1).orElseThrow().items().get(0).cmd();
    assertEquals(Projection.MAX_CMD_CHARS, cmd.length());
    assertThrows(IllegalArgumentException.class, () -> Projection.stateCode("DONE"));
  }

  @Test
  void badEventsAreIgnoredNotFatal() {
    p.applyStarted(started(B, 0, 1, 1));
    p.applyStarted(started(B, 2_000_000, 1, 1));
    p.applyStarted(started(B, 1, 0, 1));
    assertTrue(p.batch(B).isEmpty());
    assertTrue(p.task("garbage").isEmpty());
    assertTrue(p.task(B + ".x").isEmpty());
  }

  @Test
  void batchesAreListedNewestFirst() {
    accept("b00000001aaaa", 1);
    accept("b00000003aaaa", 1);
    accept("b00000002aaaa", 1);
    var page = p.batches(0, 2);
    assertEquals(3, page.total());
    assertEquals(List.of("b00000003aaaa", "b00000002aaaa"),
        page.items().stream().map(BatchSummary::batchId).toList());
  }

  @Test
  void anAttemptRunAgainOnAnotherWorkerIsCountedAsARerunAndShowsTheNewestRun() {
    accept(B, 2);
    p.applyStarted(started(B, 1, 1, 2000));
    p.applyStarted(started(B, 1, 1, 2000)); // the same run's event again: not a run
    // worker w1 died; the record was delivered again to w2
    p.applyStarted(new TaskStarted(1, B, B + ".1", 1, 1, "w2", "host2", 5000));
    TaskItem running = p.tasks(B, null, 0, 10).orElseThrow().items().get(0);
    assertEquals("RUNNING", running.state());
    assertEquals(2, running.runs());
    assertEquals("w2", running.workerId());
    assertEquals(1, summary(B).counts().get("RUNNING"), "one task, however many runs");
    assertEquals(1, summary(B).reruns());

    p.applyFinished(finished(B, 1, 1, Outcome.SUCCEEDED, 0, 5000, 5100), 0, 7);
    // after a rebalance the old owner may still report a start of its own run: counted, not shown
    p.applyStarted(new TaskStarted(1, B, B + ".1", 1, 1, "w3", "host3", 6000));
    TaskItem done = p.tasks(B, null, 0, 10).orElseThrow().items().get(0);
    assertEquals("SUCCEEDED", done.state());
    assertEquals(3, done.runs());
    assertEquals(2, summary(B).reruns());
  }
}
