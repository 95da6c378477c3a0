package io.fleetrun.common;

/**
 * Every Prometheus metric fleetrun exports, by name, in one place (the Grafana dashboard in
 * {@code deploy/} reads these). Micrometer names use dots; the Prometheus registry turns them into
 * {@code fleetrun_..._total}, {@code _seconds} and {@code _bytes}. Labels are bounded: outcome,
 * worker id, partition, state; never a task id, batch id or command.
 */
public final class MetricNames {
  // worker side: /metrics of each worker process

  /** Gauge: task children running now. */
  public static final String WORKER_CHILDREN = "fleetrun.worker.children";
  /** Gauge: the worker's child cap. */
  public static final String WORKER_CAP = "fleetrun.worker.cap";
  /** Gauge: the worker's threshold (the cap stays below it). */
  public static final String WORKER_THRESHOLD = "fleetrun.worker.threshold";
  /** Gauge: tasks received and waiting for a slot. */
  public static final String WORKER_QUEUED = "fleetrun.worker.queued.tasks";
  /** Gauge: task partitions paused for backpressure. */
  public static final String WORKER_PAUSED_PARTITIONS = "fleetrun.worker.paused.partitions";
  /** Gauge: 1 while the worker takes tasks, 0 while unhealthy. */
  public static final String WORKER_HEALTHY = "fleetrun.worker.healthy";
  /** Counter: children spawned. */
  public static final String WORKER_TASKS_STARTED = "fleetrun.worker.tasks.started";
  /** Counter, label {@code outcome}: results reported. */
  public static final String WORKER_TASKS_FINISHED = "fleetrun.worker.tasks.finished";
  /** Timer: from taking a slot to the child running. */
  public static final String WORKER_SPAWN_LATENCY = "fleetrun.worker.spawn.latency";
  /** Timer: wall time of ended tasks. */
  public static final String WORKER_TASK_RUN_TIME = "fleetrun.worker.task.run";
  /** Gauge: the worker process's open file descriptors. */
  public static final String WORKER_OPEN_FDS = "fleetrun.worker.open.fds";
  /** Gauge: the worker process's threads. */
  public static final String WORKER_THREADS = "fleetrun.worker.threads";
  /** Gauge: zombie children of the worker process. */
  public static final String WORKER_ZOMBIES = "fleetrun.worker.zombies";
  /** Gauge (base unit bytes): the worker process's resident memory. */
  public static final String WORKER_RSS = "fleetrun.worker.resident.memory";
  /** Gauge (base unit bytes): summed resident memory of the live task processes. */
  public static final String WORKER_CHILDREN_RSS = "fleetrun.worker.children.resident.memory";

  /** Label of finished-task counters. */
  public static final String LABEL_OUTCOME = "outcome";
  /** Label of per-worker fleet gauges on the coordinator. */
  public static final String LABEL_WORKER = "worker";

  private MetricNames() {}
}
