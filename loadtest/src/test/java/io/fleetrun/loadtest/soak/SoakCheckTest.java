package io.fleetrun.loadtest.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Least squares and the soak's verdicts on synthetic samples. */
class SoakCheckTest {
  private static final long MIB = 1 << 20;

  /** 21 samples, one every 1,000 tasks; each series given as a function of the task count. */
  private static List<SoakSample> samples(java.util.function.LongFunction<SoakSample> f) {
    List<SoakSample> out = new ArrayList<>();
    for (long t = 0; t <= 20_000; t += 1_000) {
      out.add(f.apply(t));
    }
    return out;
  }

  private static SoakSample flat(long t) {
    return new SoakSample(t, t, 120, 44, 150 * MIB, 30 * MIB, 0, 0);
  }

  @Test
  void leastSquaresRecoversAKnownLineAndItsUncertainty() {
    LinearFit exact = LinearFit.of(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7});
    assertEquals(2, exact.slope(), 1e-12);
    assertEquals(1, exact.intercept(), 1e-12);
    assertEquals(0, exact.slopeStdError(), 1e-12);
    LinearFit noisy = LinearFit.of(new double[] {0, 1, 2, 3, 4}, new double[] {0, 2, 1, 3, 2});
    assertEquals(0.5, noisy.slope(), 1e-12);
    assertTrue(noisy.slopeStdError() > 0.2 && noisy.slopeStdError() < 0.4, "se " + noisy.slopeStdError());
    assertTrue(Double.isNaN(LinearFit.of(new double[] {1, 1}, new double[] {2, 3}).slope()));
  }

  @Test
  void aFlatWorkerPassesEverySeries() {
    List<SoakCheck.Verdict> v = SoakCheck.judge(samples(SoakCheckTest::flat), 2_000);
    assertEquals(List.of(), SoakCheck.failed(v));
    assertEquals(Series.values().length, v.size());
    assertEquals(0, v.get(0).slopePer10k(), 1e-9);
  }

  @Test
  void oneFdLeakedPerThousandTasksFailsTheFdSeriesOnly() {
    List<SoakCheck.Verdict> v = SoakCheck.judge(samples(t -> new SoakSample(t, t, 120 + (int) (t / 1000), 44,
        150 * MIB, 30 * MIB, 0, 0)), 2_000);
    assertEquals(List.of("fds"), SoakCheck.failed(v));
    assertEquals(10, v.get(0).slopePer10k(), 1e-9);
    assertTrue(v.get(0).reason().contains("EXCEEDS tolerance 2.00"), v.get(0).reason());
  }

  @Test
  void aThreadLeakAndAHeapLeakAreBothNamed() {
    List<SoakCheck.Verdict> v = SoakCheck.judge(samples(t -> new SoakSample(t, t, 120, 44 + (int) (t / 500),
        150 * MIB, 30 * MIB + t * 400, 0, 0)), 2_000);
    assertEquals(List.of("threads", "heap_after_gc"), SoakCheck.failed(v));
  }

  @Test
  void noiseWithoutATrendPassesEvenWhenItsRawSlopeIsAboveTheTolerance() {
    // heap after GC jumping +-1.5 MiB at random: the raw slope wobbles, its lower 95% bound stays low
    Random rnd = new Random(42);
    List<SoakSample> s = samples(t -> new SoakSample(t, t, 120, 44, 150 * MIB,
        30 * MIB + (long) ((rnd.nextDouble() - 0.5) * 3 * MIB), 0, 0));
    SoakCheck.Verdict heap = SoakCheck.judge(s, 2_000).get(4);
    assertEquals(Series.HEAP_AFTER_GC, heap.series());
    assertTrue(heap.ok(), heap.reason());
  }

  @Test
  void warmupGrowthIsNotJudged() {
    // threads start lazily during the first 5,000 tasks, then stay flat
    List<SoakSample> s = samples(t -> new SoakSample(t, t, 120, t < 5_000 ? 30 + (int) (t / 250) : 50,
        150 * MIB, 30 * MIB, 0, 0));
    assertTrue(SoakCheck.failed(SoakCheck.judge(s, 5_000)).isEmpty());
    assertEquals(List.of("threads"), SoakCheck.failed(SoakCheck.judge(s, 0)));
  }

  @Test
  void rssThatGrowsWithTheCommittedHeapIsNotALeakButNativeGrowthIs() {
    // the GC commits 20 MB more heap over the run: RSS follows, live objects and native memory do not
    List<SoakSample> sizing = samples(t -> new SoakSample(t, t, 120, 44, 150 * MIB + t * 1_000, 30 * MIB, 0, 0,
        64 * MIB + t * 1_000));
    List<SoakCheck.Verdict> v = SoakCheck.judge(sizing, 2_000);
    assertEquals(List.of(), SoakCheck.failed(v));
    assertTrue(v.get(2).reason().startsWith("shown, not judged"), v.get(2).reason());
    assertEquals(0, v.get(3).slopePer10k(), 1e-6);
    // 4 KB of native memory per task is 39 MiB per 10k tasks, beyond the 16 MiB tolerance
    List<SoakSample> nativeLeak = samples(t -> new SoakSample(t, t, 120, 44, 150 * MIB + t * 4_096, 30 * MIB, 0, 0,
        64 * MIB));
    assertEquals(List.of("rss_outside_heap"), SoakCheck.failed(SoakCheck.judge(nativeLeak, 2_000)));
  }

  @Test
  void nativeGrowthOfAShortSoakWithinTheNoiseFloorIsNotALeak() {
    // the CI case: 6.5 MiB outside the heap over 1,300 judged tasks, 42 MiB per 10k as a slope
    List<SoakSample> shortRun = new ArrayList<>();
    for (long t = 700; t <= 2_000; t += 100) {
      shortRun.add(new SoakSample(t, t, 131, 65, 271 * MIB + (t - 700) * 5_243, 24 * MIB, 0, 0, 108 * MIB));
    }
    SoakCheck.Verdict outside = SoakCheck.judge(shortRun, 700).get(3);
    assertTrue(outside.ok(), outside.reason());
    assertTrue(outside.reason().contains("EXCEEDS") && outside.reason().contains("within the noise floor"),
        outside.reason());
    // the same slope kept up over 20,000 tasks grows far past the floor: a leak
    List<SoakSample> longRun = samples(t -> new SoakSample(t, t, 131, 65, 271 * MIB + t * 5_243, 24 * MIB, 0, 0,
        108 * MIB));
    assertEquals(List.of("rss_outside_heap"), SoakCheck.failed(SoakCheck.judge(longRun, 2_000)));
  }

  @Test
  void anyZombieOrLiveChildAtAQuietPointFails() {
    List<SoakSample> s = samples(t -> new SoakSample(t, t, 120, 44, 150 * MIB, 30 * MIB, t == 7_000 ? 1 : 0,
        t == 15_000 ? 2 : 0));
    List<SoakCheck.Verdict> v = SoakCheck.judge(s, 2_000);
    assertEquals(List.of("zombies", "task_processes"), SoakCheck.failed(v));
    assertEquals("up to 2 at a quiet point (must be 0)", v.get(6).reason());
  }

  @Test
  void tooFewSamplesAfterTheWarmupFailRatherThanPassUnjudged() {
    List<SoakSample> s = samples(SoakCheckTest::flat).subList(0, 6);
    List<SoakCheck.Verdict> v = SoakCheck.judge(s, 2_000);
    assertFalse(v.get(0).ok());
    assertTrue(v.get(0).reason().startsWith("only 3 samples after the warm-up"), v.get(0).reason());
  }

  @Test
  void aSeriesTheProbeCannotReadIsReportedAsNotMeasured() {
    List<SoakSample> s = samples(t -> new SoakSample(t, t, 120, 44, 150 * MIB, -1, 0, 0));
    SoakCheck.Verdict heap = SoakCheck.judge(s, 2_000).get(4);
    assertFalse(heap.measured());
    assertTrue(heap.ok());
  }

  @Test
  void theMixRepeatsEveryTwentyTasksWithEveryKindAndItsExpectedOutcome() {
    long[] counts = new long[SoakMix.Kind.values().length];
    for (long n = 0; n < 40; n++) {
      counts[SoakMix.kind(n).ordinal()]++;
      assertEquals(SoakMix.kind(n), SoakMix.kind(n + 20));
      assertEquals(SoakMix.kind(n).name(), SoakMix.task(n).label());
    }
    assertEquals(28, counts[SoakMix.Kind.SUCCESS.ordinal()]);
    assertEquals(4, counts[SoakMix.Kind.FAILURE.ordinal()]);
    assertEquals(4, counts[SoakMix.Kind.OUTPUT.ordinal()]);
    assertEquals(2, counts[SoakMix.Kind.TIMEOUT.ordinal()]);
    assertEquals(2, counts[SoakMix.Kind.TIMEOUT_IGNORING_TERM.ordinal()]);
    assertEquals(Outcome.TIMED_OUT, SoakMix.Kind.TIMEOUT_IGNORING_TERM.expected());
    assertEquals(150L, SoakMix.task(9).timeoutMs());
  }
}
