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

  // coordinator side: its /metrics (fleet gauges are labelled by worker; the names differ from the
  // worker's own so both can share one registry in `fleetrun local`)

  /** Gauge, label {@code worker}: 1 while the worker's telemetry arrives, 0 once it is DOWN. */
  public static final String FLEET_WORKER_UP = "fleetrun.fleet.worker.up";
  /** Gauge, label {@code worker}: 1 while the worker takes tasks, 0 while unhealthy. */
  public static final String FLEET_WORKER_HEALTHY = "fleetrun.fleet.worker.healthy";
  /** Gauge, label {@code worker}: its child cap. */
  public static final String FLEET_WORKER_CAP = "fleetrun.fleet.worker.cap";
  /** Gauge, label {@code worker}: task children running now. */
  public static final String FLEET_WORKER_CHILDREN = "fleetrun.fleet.worker.children";
  /** Gauge, label {@code worker}: tasks it holds waiting for a slot. */
  public static final String FLEET_WORKER_QUEUED = "fleetrun.fleet.worker.queued.tasks";
  /** Gauge, label {@code worker}: tasks the coordinator's projection shows RUNNING on it. */
  public static final String FLEET_WORKER_RUNNING = "fleetrun.fleet.worker.running.tasks";
  /** Gauge (base unit cores), label {@code worker}: the worker process's CPU. */
  public static final String FLEET_WORKER_CPU = "fleetrun.fleet.worker.cpu";
  /** Gauge (base unit cores), label {@code worker}: summed CPU of its live task processes. */
  public static final String FLEET_WORKER_CHILDREN_CPU = "fleetrun.fleet.worker.children.cpu";
  /** Gauge (base unit bytes), label {@code worker}: the worker process's resident memory. */
  public static final String FLEET_WORKER_RSS = "fleetrun.fleet.worker.resident.memory";
  /** Gauge (base unit bytes), label {@code worker}: summed resident memory of its task processes. */
  public static final String FLEET_WORKER_CHILDREN_RSS = "fleetrun.fleet.worker.children.resident.memory";
  /** Gauge (base unit bytes), label {@code worker}: its JVM heap in use. */
  public static final String FLEET_WORKER_HEAP = "fleetrun.fleet.worker.heap.used";
  /** Gauge, label {@code worker}: the worker process's open file descriptors. */
  public static final String FLEET_WORKER_FDS = "fleetrun.fleet.worker.open.fds";
  /** Gauge, label {@code worker}: the worker process's threads. */
  public static final String FLEET_WORKER_THREADS = "fleetrun.fleet.worker.threads";
  /** Gauge, label {@code worker}: zombie children of the worker process. */
  public static final String FLEET_WORKER_ZOMBIES = "fleetrun.fleet.worker.zombies";
  /** Gauge (base unit cores), label {@code worker}: CPU in use on its whole host. */
  public static final String FLEET_WORKER_HOST_CPU = "fleetrun.fleet.worker.host.cpu";
  /** Gauge, label {@code worker}: its host's one-minute load average. */
  public static final String FLEET_WORKER_HOST_LOAD = "fleetrun.fleet.worker.host.load1";
  /** Counter, label {@code worker}: restarts seen (its startedAtMs changed). */
  public static final String FLEET_WORKER_RESTARTS = "fleetrun.fleet.worker.restarts";
  /** Gauge, label {@code state} (up, down): workers in the fleet table. */
  public static final String FLEET_WORKERS = "fleetrun.fleet.workers";
  /** Counter: telemetry samples received; {@link #FLEET_TELEMETRY_REJECTED} those refused. */
  public static final String FLEET_TELEMETRY_RECEIVED = "fleetrun.fleet.telemetry.received";
  /** Counter: telemetry messages that could not be decoded. */
  public static final String FLEET_TELEMETRY_REJECTED = "fleetrun.fleet.telemetry.rejected";
  /** Counter: batches accepted (read from the results topic; a restarted coordinator reads them again). */
  public static final String BATCHES_SUBMITTED = "fleetrun.batches.submitted";
  /** Counter: tasks of those batches. */
  public static final String TASKS_SUBMITTED = "fleetrun.tasks.submitted";
  /** Counter, label {@code outcome}: task attempts that reached an outcome, from the results topic. */
  public static final String TASKS_FINISHED = "fleetrun.tasks.finished";
  /** Gauge, label {@code state} (queued, running, suspect): tasks of the open batches. */
  public static final String TASKS_UNFINISHED = "fleetrun.tasks.unfinished";
  /** Gauge: batches not yet done. */
  public static final String BATCHES_OPEN = "fleetrun.batches.open";
  /**
   * Gauge (base unit records), label {@code partition}: records of {@code fleetrun.tasks} not yet
   * committed by the worker group.
   */
  public static final String QUEUE_LAG = "fleetrun.queue.lag";

  /** Label of finished-task counters. */
  public static final String LABEL_OUTCOME = "outcome";
  /** Label of per-worker fleet gauges on the coordinator. */
  public static final String LABEL_WORKER = "worker";
  /** Label of queue-lag gauges: the task partition's number. */
  public static final String LABEL_PARTITION = "partition";
  /** Label of gauges split by state. */
  public static final String LABEL_STATE = "state";

  private MetricNames() {}
}
