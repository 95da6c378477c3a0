package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final OffsetTracker tracker = new OffsetTracker();
  private final OffsetTracker.Partition p0 = new OffsetTracker.Partition("t", 0);
  private final OffsetTracker.Partition p1 = new OffsetTracker.Partition("t", 1);

  @Test
  void commitsNothingUntilTheFirstRecordFinishes() {
    tracker.received(p0, 10);
    tracker.received(p0, 11);
    assertTrue(tracker.takeCommits().isEmpty());
    tracker.finished(p0, 10);
    assertEquals(Map.of(p0, 11L), tracker.takeCommits());
  }

  @Test
  void neverCommitsPastAnUnfinishedRecord() {
    for (long o = 5; o <= 8; o++) {
      tracker.received(p0, o);
    }
    tracker.finished(p0, 6);
    tracker.finished(p0, 8);
    assertTrue(tracker.takeCommits().isEmpty(), "5 still runs");
    tracker.finished(p0, 5);
    assertEquals(Map.of(p0, 7L), tracker.takeCommits(), "7 still runs");
    tracker.finished(p0, 7);
    assertEquals(Map.of(p0, 9L), tracker.takeCommits());
    assertTrue(tracker.takeCommits().isEmpty(), "each advance is reported once");
  }

  @Test
  void partitionsAdvanceIndependently() {
    tracker.received(p0, 0);
    tracker.received(p1, 100);
    tracker.finished(p1, 100);
    assertEquals(Map.of(p1, 101L), tracker.takeCommits());
    tracker.finished(p0, 0);
    assertEquals(Map.of(p0, 1L), tracker.takeCommits());
  }

  @Test
  void aRevokedPartitionCommitsNothingLater() {
    tracker.received(p0, 3);
    tracker.revoked(p0);
    tracker.finished(p0, 3);
    assertTrue(tracker.takeCommits().isEmpty());
    assertEquals(0, tracker.pendingCount());
  }

  @Test
  void aDuplicateCompletionIsIgnored() {
    tracker.received(p0, 1);
    tracker.received(p0, 2);
    tracker.finished(p0, 2);
    tracker.finished(p0, 2);
    assertTrue(tracker.takeCommits().isEmpty());
    assertEquals(1, tracker.pendingCount());
  }
}
