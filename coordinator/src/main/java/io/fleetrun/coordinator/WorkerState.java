package io.fleetrun.coordinator;

import io.fleetrun.common.wire.WorkerTelemetry;

/**
 * What the coordinator knows of one worker id: its latest telemetry sample, when it arrived, how
 * often the worker restarted, whether it is DOWN, and its result rate.
 *
 * <p>Threading: written only by the {@link FleetView} on the fleet verticle's event loop; the
 * fields metrics read ({@link #latest()}, {@link #up()}, {@link #restarts()}, {@link
 * #runningTasks()}) are volatile, so a Prometheus scrape on another thread sees a whole sample
 * (samples are immutable records).
 */
final class WorkerState {
  final String workerId;
  final long firstSeenMs;
  private final RateWindow results;
  private volatile WorkerTelemetry latest;
  private volatile long lastSeenMs;
  private volatile int restarts;
  private volatile boolean down;
  private volatile int runningTasks;
  private long downSinceMs = -1;

  WorkerState(WorkerTelemetry first, long nowMs, long rateWindowMs) {
    this.workerId = first.workerId();
    this.firstSeenMs = nowMs;
    this.results = new RateWindow(rateWindowMs);
    this.latest = first;
    this.lastSeenMs = nowMs;
    results.add(nowMs, first.finishedTotal());
  }

  /**
   * Takes a newer sample of this worker: a later {@code startedAtMs} is a restart (its counters
   * began again), an older one, or an older sample of the same run, is a late message and ignored.
   *
   * @return the kind of change
   */
  FleetView.Change update(WorkerTelemetry t, long nowMs) {
    WorkerTelemetry prev = latest;
    FleetView.Change change;
    if (t.startedAtMs() > prev.startedAtMs()) {
      restarts++;
      results.reset();
      change = FleetView.Change.RESTART;
    } else if (t.startedAtMs() < prev.startedAtMs() || t.sampledAtMs() < prev.sampledAtMs()) {
      return FleetView.Change.IGNORED;
    } else {
      change = FleetView.Change.UPDATE;
    }
    latest = t;
    lastSeenMs = nowMs;
    down = false;
    downSinceMs = -1;
    results.add(nowMs, t.finishedTotal());
    return change;
  }

  /**
   * Re-judges liveness at {@code nowMs}: DOWN once silent for more than {@code missed} of its own
   * intervals (an interval the sample does not state counts as a second).
   */
  void judge(long nowMs, int missed) {
    long interval = latest.intervalMs() > 0 ? latest.intervalMs() : 1_000;
    boolean isDown = nowMs - lastSeenMs > missed * interval;
    if (isDown && !down) {
      downSinceMs = nowMs;
    }
    down = isDown;
  }

  /** True when DOWN for longer than {@code forgetAfterMs} at {@code nowMs}. */
  boolean forgotten(long nowMs, long forgetAfterMs) {
    return down && downSinceMs >= 0 && nowMs - downSinceMs > forgetAfterMs;
  }

  WorkerTelemetry latest() {
    return latest;
  }

  long lastSeenMs() {
    return lastSeenMs;
  }

  int restarts() {
    return restarts;
  }

  /** Tasks the projection showed RUNNING on this worker at the latest tick. */
  int runningTasks() {
    return runningTasks;
  }

  void runningTasks(int n) {
    runningTasks = n;
  }

  boolean up() {
    return !down;
  }

  /** Results reported per second over the window; 0 when unknown yet. */
  double resultsPerSecond() {
    double r = results.perSecond();
    return Double.isNaN(r) ? 0 : r;
  }
}
