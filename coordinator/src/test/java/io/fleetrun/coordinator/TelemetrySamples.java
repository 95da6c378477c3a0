package io.fleetrun.coordinator;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.common.wire.WorkerTelemetry.Percentiles;
import java.util.Map;

/** Hand-made worker telemetry for tests that play a worker (or twenty). */
final class TelemetrySamples {
  private TelemetrySamples() {}

  /**
   * A plausible sample: {@code live} children of cap 8, {@code succeeded} results so far, and
   * resource figures derived from {@code live} so they differ between samples.
   */
  static WorkerTelemetry sample(String workerId, long startedAtMs, long sampledAtMs, long succeeded, int live) {
    return sample(workerId, startedAtMs, sampledAtMs, 1_000, succeeded, live);
  }

  static WorkerTelemetry sample(String workerId, long startedAtMs, long sampledAtMs, long intervalMs,
      long succeeded, int live) {
    return new WorkerTelemetry(WorkerTelemetry.VERSION, workerId, "host-" + workerId, 4242, sampledAtMs,
        intervalMs, startedAtMs, "pgroup", 8, 23, live, 2, 16, live >= 8 ? 16 : 0, true, false,
        succeeded + live, Map.of(Outcome.SUCCEEDED, succeeded), new Percentiles(live, 1.5, 3, 4, 5),
        new Percentiles(live, 40, 90, 120, 130), 2, 0.5 + live / 10.0, 0.7, 8L << 30, 0.05 + live / 100.0,
        (120L << 20) + live * (1L << 20), 40L << 20, 256L << 20, 60 + 3 * live, 44, 0,
        live * (3L << 20), live * 0.1, null);
  }
}
