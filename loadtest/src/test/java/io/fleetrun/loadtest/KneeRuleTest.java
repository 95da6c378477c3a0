package io.fleetrun.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.loadtest.KneeRule.Point;
import io.fleetrun.loadtest.KneeRule.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The knee rule on synthetic step results. */
class KneeRuleTest {
  private static final KneeRule RULE = KneeRule.standard();

  private static Point p(int c, double tps, double p95) {
    return new Point(c, tps, p95);
  }

  @Test
  void cpuBoundWorkloadOnAnIdleTwoCoreHostKneesAtTwo() {
    // throughput doubles to 2 then stays; latency grows with the queue of runnable children
    Result r = RULE.apply(List.of(p(1, 40, 30), p(2, 78, 32), p(4, 80, 60), p(8, 81, 115), p(16, 80, 230),
        p(22, 79, 320)), 23);
    assertEquals(2, r.knee());
    assertEquals(2, r.recommendedCap());
    assertTrue(r.summary().contains("knee at concurrency 2: from 2 to 4"), r.summary());
    assertTrue(r.summary().contains("scaling efficiency 0.04"), r.summary());
  }

  @Test
  void cpuBoundThroughputThatCreepsWhileLatencyDoublesStillHasAKnee() {
    // measured on a shared 2-core box: past the cores, children take CPU from everything else
    Result r = RULE.apply(List.of(p(1, 13.0, 95), p(2, 26.4, 103), p(4, 35.1, 169), p(8, 46.2, 245),
        p(16, 53.5, 427), p(22, 62.1, 488), p(32, 65.4, 748), p(48, 68.9, 1003)), 23);
    assertEquals(8, r.knee());
    assertEquals("still scales: efficiency 0.40 (>= 0.33)", r.comparisons().get(2).reason());
    assertEquals(8, r.recommendedCap());
  }

  @Test
  void linearScalingHasNoKneeAndRecommendsTheHighestLevelBelowTheThreshold() {
    Result r = RULE.apply(List.of(p(1, 18, 60), p(2, 36, 61), p(4, 72, 62), p(8, 140, 64), p(16, 270, 70),
        p(22, 360, 75)), 23);
    assertNull(r.knee());
    assertEquals(22, r.recommendedCap());
    assertTrue(r.summary().startsWith("no knee up to concurrency 22"), r.summary());
  }

  @Test
  void flatThroughputWithFlatLatencyIsNoKnee() {
    // a bottleneck elsewhere (the submitter) caps throughput, but latency does not suffer: not a knee
    Result r = RULE.apply(List.of(p(1, 100, 10), p(2, 101, 11), p(4, 102, 12), p(8, 100, 13)), 23);
    assertNull(r.knee());
    assertTrue(r.comparisons().stream().limit(3).allMatch(c -> c.reason().startsWith("p95 grows only")),
        r.comparisons().toString());
  }

  @Test
  void aDipFollowedByRecoveryIsNotTheKnee() {
    // 4 looks like a knee against 8 (a noisy dip), but 16 doubles 4's throughput
    Result r = RULE.apply(List.of(p(1, 50, 20), p(2, 100, 20), p(4, 190, 21), p(8, 195, 40), p(16, 400, 70),
        p(32, 405, 150), p(64, 400, 320)), 100);
    assertEquals(16, r.knee());
    KneeRule.Comparison four = r.comparisons().get(2);
    assertFalse(four.meetsRule());
    assertEquals("step 16 scales again: 400.0 tasks/s, efficiency 0.54 from here", four.reason());
  }

  @Test
  void comparesAcrossADoublingSoDenseStepsFindTheSameKnee() {
    List<Point> dense = new ArrayList<>();
    for (int c = 1; c <= 22; c++) {
      double tps = 40.0 * Math.min(c, 2);   // saturates at 2 cores
      double p95 = 25.0 * Math.max(1, c / 2.0);
      dense.add(p(c, tps, p95));
    }
    Result r = RULE.apply(dense, 23);
    assertEquals(2, r.knee());
    assertEquals(4, r.comparisons().get(1).reference());
  }

  @Test
  void theLastStepServesAsReferenceWhenNoneIsTwiceAsHigh() {
    Result r = RULE.apply(List.of(p(8, 100, 50), p(12, 102, 90)), 23);
    assertEquals(8, r.knee());
    assertEquals(12, r.comparisons().get(0).reference());
  }

  @Test
  void theDefaultStepsCompareSixteenWithTwentyTwo() {
    Result r = RULE.apply(List.of(p(1, 30, 40), p(2, 60, 41), p(4, 120, 42), p(8, 240, 45), p(16, 400, 60),
        p(22, 410, 140)), 23);
    assertEquals(16, r.knee());
    assertEquals(22, r.comparisons().get(4).reference());
  }

  @Test
  void aStepWithoutAReferenceAtOneAndAQuarterTimesCannotBeTheKnee() {
    Result r = RULE.apply(List.of(p(8, 100, 50), p(9, 100, 500)), 23);
    assertNull(r.knee());
    assertEquals("no later step with at least 1.25x its concurrency to compare with", r.comparisons().get(0).reason());
  }

  @Test
  void aKneePastTheThresholdRecommendsOneBelowTheThreshold() {
    Result r = RULE.apply(List.of(p(8, 400, 50), p(16, 700, 60), p(32, 1000, 70), p(64, 1020, 300),
        p(128, 1000, 900)), 23);
    assertEquals(32, r.knee());
    assertEquals(22, r.recommendedCap());
    assertTrue(r.summary().contains("at or above the threshold 23"), r.summary());
  }

  @Test
  void withoutAKneeTheCapIgnoresLevelsOverTheThreshold() {
    Result r = RULE.apply(List.of(p(8, 100, 50), p(16, 200, 55), p(32, 400, 60)), 23);
    assertNull(r.knee());
    assertEquals(16, r.recommendedCap());
  }

  @Test
  void aSingleStepHasNoKnee() {
    Result r = RULE.apply(List.of(p(4, 100, 50)), 23);
    assertNull(r.knee());
    assertEquals(4, r.recommendedCap());
    assertTrue(r.summary().contains("at least two steps"), r.summary());
  }

  @Test
  void aStepWithoutThroughputIsNeverTheKnee() {
    Result r = RULE.apply(List.of(p(1, 0, 0), p(2, 0, 0), p(4, 0, 0)), 23);
    assertNull(r.knee());
    assertEquals("no throughput measured", r.comparisons().get(0).reason());
  }

  @Test
  void subMillisecondLatenciesCountAsOneMillisecond() {
    // 0 -> 1 ms is not "infinite growth": the timestamps have 1 ms resolution
    Result r = RULE.apply(List.of(p(1, 500, 0), p(2, 510, 1), p(4, 505, 1)), 23);
    assertNull(r.knee());
  }

  @Test
  void stepsAreSortedBeforeTheRuleApplies() {
    Result sorted = RULE.apply(List.of(p(1, 40, 30), p(2, 78, 32), p(4, 80, 60), p(8, 81, 115)), 23);
    Result shuffled = RULE.apply(List.of(p(8, 81, 115), p(2, 78, 32), p(1, 40, 30), p(4, 80, 60)), 23);
    assertEquals(sorted, shuffled);
  }

  @Test
  void efficiencyAndGrowthAtExactlyTheLimitsAreNotAKnee() {
    // efficiency 1/3 over a doubling is a gain of 2^(1/3) = +25.99%; +50.0% p95 is not "more than 50%"
    assertNull(RULE.apply(List.of(p(2, 100, 100), p(4, 126, 200)), 23).knee());
    assertEquals(2, RULE.apply(List.of(p(2, 100, 100), p(4, 125, 200)), 23).knee());
    assertNull(RULE.apply(List.of(p(2, 100, 100), p(4, 105, 150)), 23).knee());
    assertEquals(2, RULE.apply(List.of(p(2, 100, 100), p(4, 105, 151)), 23).knee());
  }
}
