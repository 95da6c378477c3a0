package io.fleetrun.coordinator;

import io.fleetrun.common.wire.WorkerTelemetry;
import java.util.List;
import java.util.Map;

/**
 * The fleet as {@code GET /v1/fleet} returns it and {@code fleetrun.fleet} carries it, once a
 * tick: per-worker rows, per-batch progress, fleet totals and the task queue's lag. Immutable
 * records (field name = JSON name). Times are the coordinator's clock in ms since the epoch.
 *
 * @param v schema version, {@link #VERSION}
 * @param generatedAtMs when this report was computed
 * @param queueLag null until the first poll of Kafka answered
 */
public record FleetReport(
    int v, long generatedAtMs, Totals totals, List<WorkerRow> workers, List<BatchRow> batches, QueueLag queueLag) {

  public static final int VERSION = 1;

  /**
   * Sums over the workers that are UP (DOWN ones keep their last sample but are not counted),
   * and over the batches shown.
   *
   * @param prefetched tasks the workers received and hold waiting for a slot
   * @param tasksPerSecond attempts finished per second, fleet-wide, over the rate window
   * @param runningTasks tasks the projection shows RUNNING, on any worker
   * @param suspectTasks of those, the ones RUNNING on a worker that is DOWN
   * @param queuedTasks tasks of the shown batches not started yet
   * @param cpuCores summed CPU of the workers' own processes; {@code childrenCpuCores} of their tasks
   */
  public record Totals(
      int workers, int up, int down, int cap, int liveChildren, int prefetched, double tasksPerSecond,
      int runningTasks, int suspectTasks, int queuedTasks, double cpuCores, double childrenCpuCores,
      long rssBytes, long childrenRssBytes, int openFds, int threads, int zombies) {}

  /**
   * One worker.
   *
   * @param state {@code UP}, or {@code DOWN} once it missed the configured number of its telemetry
   *     intervals
   * @param lastSeenMs when its latest sample arrived; {@code ageMs} how long ago
   * @param restarts how often its {@code startedAtMs} changed since the coordinator first saw it
   * @param tasksPerSecond results it reported per second over the rate window
   * @param runningTasks tasks the projection shows RUNNING on it
   * @param suspectTaskIds when DOWN, those tasks (at most {@link #MAX_SUSPECT_IDS}): they may have
   *     died with it and will run again elsewhere once Kafka redelivers them; empty when UP
   * @param sample its latest telemetry, as on the wire
   */
  public record WorkerRow(
      String workerId, String state, long firstSeenMs, long lastSeenMs, long ageMs, int restarts,
      double tasksPerSecond, int runningTasks, List<String> suspectTaskIds, WorkerTelemetry sample) {
    public static final int MAX_SUSPECT_IDS = 100;
  }

  /**
   * One batch's progress.
   *
   * @param failed tasks done without success (any outcome but SUCCEEDED); {@code
   *     failedByOutcome} splits them by outcome name (outcomes with none are absent)
   * @param suspect tasks RUNNING on a worker that is DOWN
   * @param tasksPerSecond tasks done per second over the rate window (over the whole run once
   *     finished)
   * @param etaMs estimated time to the last task's end at that rate; 0 once finished, null when
   *     nothing finished in the window
   */
  public record BatchRow(
      String batchId, String name, String state, int taskCount, int done, int succeeded, int failed,
      Map<String, Integer> failedByOutcome, int running, int queued, int suspect, double tasksPerSecond, Long etaMs, Long elapsedMs,
      Long acceptedAtMs, Long finishedAtMs) {}

  /**
   * Records of {@code fleetrun.tasks} not yet committed by the worker group.
   *
   * @param partitions lag per partition number
   * @param polledAtMs when Kafka answered
   * @param error why the latest poll failed (the figures are then from the poll before), or null
   */
  public record QueueLag(long total, Map<Integer, Long> partitions, long polledAtMs, String error) {}

  /** One point of the dashboard's charts: the totals at one tick. */
  public record HistoryPoint(
      long t, double tasksPerSecond, int up, int cap, int liveChildren, int runningTasks, int queuedTasks,
      double cpuCores, double childrenCpuCores, long rssBytes, long childrenRssBytes, Long queueLag) {}

  /** {@code GET /v1/fleet/history}: the points kept, oldest first. */
  public record History(long tickMs, List<HistoryPoint> points) {}
}
