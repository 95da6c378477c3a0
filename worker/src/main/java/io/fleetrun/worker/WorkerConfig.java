package io.fleetrun.worker;

import io.fleetrun.worker.process.Containment;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A worker's settings, each with its default and meaning side by side.
 *
 * @param bootstrap Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param workerId name of this worker in results and telemetry; default {@code host-pid}
 * @param host host name reported with every result
 * @param maxChildren the cap: task trees alive at once on this worker; default {@link
 *     #defaultCap(int, int)}; must stay below {@code threshold}
 * @param threshold the node's measured knee (default {@value #DEFAULT_THRESHOLD}): past it a runtime
 *     that spawns children degrades, so the cap is always kept below it
 * @param prefetch task records held locally, beyond the running ones, while every slot is busy;
 *     0 means the default, {@value #DEFAULT_PREFETCH} (or 4 x the cap when larger). In Kafka a
 *     partition, not a record, is the unit of work sharing, so records held here take no work
 *     from other workers; they hide the fetch round trip after a resume, which otherwise caps a
 *     worker at a few hundred short tasks a second. A few hundred small records is the memory
 *     cost
 * @param minFreeMemoryBytes while the host's available memory (MemAvailable) is below this, the
 *     worker starts no new task (running ones go on), like GNU parallel's {@code --memfree};
 *     a negative value means the default, {@value #DEFAULT_MIN_FREE_MEMORY} bytes; 0 disables it
 * @param containment how a task's processes are held together and killed: {@code auto} (the
 *     default, null) takes a cgroup per task where the host allows it (v2, else the v1 freezer:
 *     every descendant killed, setsid or not; kernel-enforced memory and pids limits where the
 *     v1 controllers exist), else a process group per task; {@code cgroup} and {@code
 *     cgroup-v1} refuse to start without them
 * @param unhealthyAfter after this many spawns in a row fail for a reason of this host (no fds,
 *     memory, process slots or cgroup; never a task's own bad cwd or missing program) the worker
 *     leaves the consumer group, so its tasks go to healthy workers, and probes with {@code
 *     /bin/true} every {@value #PROBE_MS} ms until a spawn works; 0 means the default, {@value
 *     #DEFAULT_UNHEALTHY_AFTER}. A failed spawn below it is retried here
 * @param telemetryIntervalMs how often the worker publishes its {@code WorkerTelemetry} on the
 *     event bus; 0 means the default, {@value #DEFAULT_TELEMETRY_INTERVAL_MS} ms (100 .. 60000)
 * @param metricsHost address of the worker's own Prometheus endpoint; null means {@value
 *     #DEFAULT_METRICS_HOST}
 * @param metricsPort port of that endpoint ({@code GET /metrics}): -1 (the default of the record,
 *     used by {@code local} mode, where the coordinator's endpoint shows every meter) for none, 0
 *     for a free port, which the worker logs and publishes in its telemetry
 */
public record WorkerConfig(
    String bootstrap, String workerId, String host, int maxChildren, int threshold, int prefetch,
    long minFreeMemoryBytes, Containment containment, int unhealthyAfter, long telemetryIntervalMs,
    String metricsHost, int metricsPort) {

  public static final int DEFAULT_THRESHOLD = 23;
  public static final int DEFAULT_PREFETCH = 256;
  public static final long DEFAULT_MIN_FREE_MEMORY = 256L * 1024 * 1024;
  public static final int DEFAULT_UNHEALTHY_AFTER = 5;
  public static final long PROBE_MS = 2_000;
  public static final long DEFAULT_TELEMETRY_INTERVAL_MS = 1_000;
  public static final String DEFAULT_METRICS_HOST = "127.0.0.1";
  public static final int NO_METRICS = -1;

  public WorkerConfig {
    Objects.requireNonNull(bootstrap, "bootstrap");
    host = host == null ? localHost() : host;
    workerId = workerId == null ? host + "-" + ProcessHandle.current().pid() : workerId;
    prefetch = prefetch <= 0 ? Math.max(DEFAULT_PREFETCH, 4 * maxChildren) : prefetch;
    minFreeMemoryBytes = minFreeMemoryBytes < 0 ? DEFAULT_MIN_FREE_MEMORY : minFreeMemoryBytes;
    containment = containment == null ? Containment.AUTO : containment;
    unhealthyAfter = unhealthyAfter <= 0 ? DEFAULT_UNHEALTHY_AFTER : unhealthyAfter;
    telemetryIntervalMs = telemetryIntervalMs <= 0 ? DEFAULT_TELEMETRY_INTERVAL_MS : telemetryIntervalMs;
    metricsHost = metricsHost == null ? DEFAULT_METRICS_HOST : metricsHost;
  }

  /** Every telemetry setting at its default, no metrics endpoint. */
  public WorkerConfig(String bootstrap, String workerId, String host, int maxChildren, int threshold, int prefetch,
      long minFreeMemoryBytes, Containment containment, int unhealthyAfter) {
    this(bootstrap, workerId, host, maxChildren, threshold, prefetch, minFreeMemoryBytes, containment,
        unhealthyAfter, 0, null, NO_METRICS);
  }

  /** A config with every default for the given broker. */
  public static WorkerConfig defaults(String bootstrap) {
    return new WorkerConfig(
        bootstrap, null, null, defaultCap(Runtime.getRuntime().availableProcessors(), DEFAULT_THRESHOLD),
        DEFAULT_THRESHOLD, 0, -1, Containment.AUTO, 0);
  }

  /**
   * Default cap: twice the cores (shell tasks mostly wait on I/O), at least 2, and always below
   * the threshold.
   */
  public static int defaultCap(int cores, int threshold) {
    return Math.max(1, Math.min(threshold - 1, Math.max(2, 2 * cores)));
  }

  public WorkerConfig withMaxChildren(int cap) {
    return new WorkerConfig(bootstrap, workerId, host, cap, threshold, 0, minFreeMemoryBytes, containment,
        unhealthyAfter, telemetryIntervalMs, metricsHost, metricsPort);
  }

  public WorkerConfig withWorkerId(String id) {
    return new WorkerConfig(bootstrap, id, host, maxChildren, threshold, prefetch, minFreeMemoryBytes, containment,
        unhealthyAfter, telemetryIntervalMs, metricsHost, metricsPort);
  }

  public WorkerConfig withContainment(Containment c, int failuresBeforeUnhealthy) {
    return new WorkerConfig(bootstrap, workerId, host, maxChildren, threshold, prefetch, minFreeMemoryBytes, c,
        failuresBeforeUnhealthy, telemetryIntervalMs, metricsHost, metricsPort);
  }

  public WorkerConfig withTelemetry(long intervalMs, String host, int port) {
    return new WorkerConfig(bootstrap, workerId, this.host, maxChildren, threshold, prefetch, minFreeMemoryBytes,
        containment, unhealthyAfter, intervalMs, host, port);
  }

  /** Throws IllegalArgumentException with a message naming the setting when one is unusable. */
  public WorkerConfig validate() {
    if (bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap: must name at least one Kafka broker (host:port)");
    }
    if (threshold < 2) {
      throw new IllegalArgumentException("threshold: must be at least 2, got " + threshold);
    }
    if (maxChildren < 1) {
      throw new IllegalArgumentException("max-children: must be at least 1, got " + maxChildren);
    }
    if (maxChildren >= threshold) {
      throw new IllegalArgumentException(
          "max-children: " + maxChildren + " is not below the threshold " + threshold
              + "; past the threshold a node degrades, so the cap must stay under it"
              + " (raise --threshold only after measuring where this node's spawn latency bends)");
    }
    if (prefetch > 10_000) {
      throw new IllegalArgumentException("prefetch: at most 10000, got " + prefetch);
    }
    if (workerId.isBlank()) {
      throw new IllegalArgumentException("worker-id: must not be blank");
    }
    if (telemetryIntervalMs < 100 || telemetryIntervalMs > 60_000) {
      throw new IllegalArgumentException("telemetry-interval: 100 .. 60000 ms, got " + telemetryIntervalMs);
    }
    if (metricsPort < NO_METRICS || metricsPort > 65_535) {
      throw new IllegalArgumentException("metrics-port: -1 (none), 0 (a free port) or 1 .. 65535, got " + metricsPort);
    }
    return this;
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
