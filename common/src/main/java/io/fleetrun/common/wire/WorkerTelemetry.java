package io.fleetrun.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/**
 * One worker's state, published on {@link io.fleetrun.common.Addresses#TELEMETRY} every {@code
 * intervalMs} (about a second). A reader that misses about three intervals of a worker treats it
 * as down.
 *
 * <p>Units: times in milliseconds, sizes in bytes, CPU in cores (CPU seconds per second over the
 * last interval: 0.5 is half of one core; the host's figure is of all its cores, 0..{@code
 * hostCores}). Counters are cumulative since the worker started; percentiles cover the tasks that
 * started (spawn latency) or ended (run time) since the previous sample.
 *
 * @param v schema version, {@link #VERSION}
 * @param pid the worker's process id on {@code host}
 * @param startedAtMs when the worker started (a new value means a restart: counters began again)
 * @param containment the task containment backend in use ({@code cgroup} or {@code pgroup})
 * @param cap the worker's child cap ({@code --max-children}); always below {@code threshold}
 * @param liveChildren tasks whose child process runs now (slots in use)
 * @param queued tasks received and waiting for a slot (prefetched)
 * @param assignedPartitions task partitions assigned to this worker
 * @param pausedPartitions of those, paused for backpressure
 * @param healthy false while the worker left the group after repeated host spawn failures
 * @param memoryPaused true while the host's free memory is below the worker's minimum
 * @param started children spawned since start
 * @param finished results reported per outcome since start (outcomes never seen are absent)
 * @param spawnLatencyMs from taking a slot to the child running
 * @param runTimeMs wall time of the tasks that ended
 * @param hostCpuCores CPU in use on the whole host
 * @param load1 the host's one-minute load average
 * @param hostMemAvailableBytes the host's MemAvailable
 * @param processCpuCores the worker JVM's own CPU (children excluded)
 * @param rssBytes the worker JVM's resident memory
 * @param heapUsedBytes the JVM heap in use
 * @param openFds the worker process's open file descriptors
 * @param threads the worker process's threads
 * @param zombies children of the worker process in state Z (should always be 0)
 * @param childrenRssBytes summed resident memory of every live task process (whole trees)
 * @param childrenCpuCores summed CPU of the live task processes over the last interval
 * @param metricsUrl the worker's own Prometheus endpoint, or null when it has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerTelemetry(
    int v,
    String workerId,
    String host,
    long pid,
    long sampledAtMs,
    long intervalMs,
    long startedAtMs,
    String containment,
    int cap,
    int threshold,
    int liveChildren,
    int queued,
    int assignedPartitions,
    int pausedPartitions,
    boolean healthy,
    boolean memoryPaused,
    long started,
    Map<Outcome, Long> finished,
    Percentiles spawnLatencyMs,
    Percentiles runTimeMs,
    int hostCores,
    double hostCpuCores,
    double load1,
    long hostMemAvailableBytes,
    double processCpuCores,
    long rssBytes,
    long heapUsedBytes,
    long heapMaxBytes,
    int openFds,
    int threads,
    int zombies,
    long childrenRssBytes,
    double childrenCpuCores,
    String metricsUrl) {

  public static final int VERSION = 1;

  public WorkerTelemetry {
    Objects.requireNonNull(workerId, "workerId");
    finished = finished == null ? Map.of() : Map.copyOf(finished);
    spawnLatencyMs = spawnLatencyMs == null ? Percentiles.NONE : spawnLatencyMs;
    runTimeMs = runTimeMs == null ? Percentiles.NONE : runTimeMs;
  }

  /** Results reported with {@code outcome} since the worker started. */
  public long finished(Outcome outcome) {
    return finished.getOrDefault(outcome, 0L);
  }

  /** Results reported since start, every outcome. */
  public long finishedTotal() {
    return finished.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * A distribution summary over one interval; {@code count} 0 means no value (the rest are 0).
   */
  public record Percentiles(long count, double p50, double p95, double p99, double max) {
    public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);
  }
}
