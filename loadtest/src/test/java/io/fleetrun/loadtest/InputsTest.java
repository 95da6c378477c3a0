package io.fleetrun.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --steps, --workload and the units they use: accepted forms, and errors naming the option. */
class InputsTest {
  private static void assertRefused(String expectedStart, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }

  @Test
  void stepsAcceptListsRangesAndBothMixedSortedWithoutRepeats() {
    assertEquals(List.of(1, 2, 4, 8, 16, 22), StepList.parse("1,2,4,8,16,22"));
    assertEquals(22, StepList.parse("1..22").size());
    assertEquals(List.of(1, 2, 3, 4, 8, 16), StepList.parse("16, 8,1..4,2"));
  }

  @Test
  void badStepsNameTheOptionAndThePart() {
    assertRefused("--steps: must list", () -> StepList.parse(" "));
    assertRefused("--steps: concurrency 0 is out of range 1..1024", () -> StepList.parse("0"));
    assertRefused("--steps: 'x' is not", () -> StepList.parse("1,x"));
    assertRefused("--steps: '' is not", () -> StepList.parse("1,,2"));
    assertRefused("--steps: range '8..2' runs backwards", () -> StepList.parse("8..2"));
    assertRefused("--steps: concurrency 5000 is out of range", () -> StepList.parse("5000"));
    assertRefused("--steps: range '1..900' has more than", () -> StepList.parse("1..900"));
  }

  @Test
  void stepsAtOrOverTheThresholdNeedTheExplicitFlag() {
    assertRefused("--steps: concurrency 23 is at or over the threshold 23",
        () -> StepList.checkThreshold(List.of(1, 23), 23, false));
    StepList.checkThreshold(List.of(1, 32), 23, true);
    StepList.checkThreshold(List.of(1, 22), 23, false);
  }

  @Test
  void workloadsBecomeTheShellCommandsTheyName() {
    assertEquals("true", Workload.parse("true").command(() -> 0));
    assertEquals("sleep 0.050", Workload.parse("sleep:50ms").command(() -> 0));
    assertEquals("head -c 1048576 /dev/zero", Workload.parse("io:1MiB").command(() -> 0));
    assertEquals(CpuCalibration.loop(14_000), Workload.parse("cpu:20ms").command(() -> 700));
    assertEquals("gzip -c /etc/hostname >/dev/null", Workload.parse("gzip -c /etc/hostname >/dev/null").command(() -> 0));
    assertEquals("cpu-20ms", Workload.parse("cpu:20ms").slug());
    assertEquals("io-1MiB", Workload.parse("io:1MiB").slug());
    assertEquals("sleep-1.5s", Workload.parse("sleep:1.5s").slug());
    assertTrue(Workload.parse("cpu:20ms").needsCalibration());
  }

  @Test
  void badWorkloadsNameTheOption() {
    assertRefused("--workload: must not be empty", () -> Workload.parse(""));
    assertRefused("--workload sleep:50: '50' needs a unit", () -> Workload.parse("sleep:50"));
    assertRefused("--workload cpu:0ms: must be 1..", () -> Workload.parse("cpu:0ms"));
    assertRefused("--workload cpu:fast: not a duration", () -> Workload.parse("cpu:fast"));
    assertRefused("--workload io:1XB: unknown unit 'XB'", () -> Workload.parse("io:1XB"));
    assertRefused("--workload sleep:20m: must be 0..600000 ms", () -> Workload.parse("sleep:20m"));
  }

  @Test
  void unitsReadAndPrintDurationsAndSizes() {
    assertEquals(1500, Units.millis("1.5s", "--duration"));
    assertEquals(120_000, Units.millis("2m", "--duration"));
    assertEquals(65_536, Units.bytes("64KiB", "x"));
    assertEquals(10_000_000, Units.bytes("10MB", "x"));
    assertEquals(4096, Units.bytes("4096", "x"));
    assertEquals("50ms", Units.duration(50));
    assertEquals("1.5s", Units.duration(1500));
    assertEquals("1MiB", Units.size(1 << 20));
    assertEquals("1.5GiB", Units.size(3L << 29));
  }

  @Test
  void calibrationReadsTheShellsOwnCpuFromTimes() {
    assertEquals(430, CpuCalibration.parseTimes("0m0.430000s 0m0.000000s\n0m0.000000s 0m0.000000s\n"), 1e-6);
    assertEquals(61_250, CpuCalibration.parseTimes("1m0.25s 0m1.00s\n0m0.00s 0m0.00s\n"), 1e-6);
    assertThrows(IllegalStateException.class, () -> CpuCalibration.parseTimes("sh: times: not found"));
  }

  @Test
  void calibrationOfTheRealShellLoopIsPlausible() {
    // dash does some hundreds of thousands of loop iterations per CPU second on any machine made this century
    double perMs = CpuCalibration.iterationsPerCpuMs();
    assertTrue(perMs > 20 && perMs < 100_000, "iterations per CPU ms: " + perMs);
  }
}
