package io.fleetrun.coordinator;

import static io.fleetrun.common.MetricNames.LABEL_OUTCOME;
import static io.fleetrun.common.MetricNames.LABEL_PARTITION;
import static io.fleetrun.common.MetricNames.LABEL_STATE;
import static io.fleetrun.common.MetricNames.LABEL_WORKER;

import io.fleetrun.common.MetricNames;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.coordinator.FleetReport.QueueLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The coordinator's Prometheus meters (names in {@link MetricNames}): fleet gauges labelled by
 * worker, task and batch counters from the projection, queue lag by partition. Labels are
 * bounded: worker ids of the fleet table (forgotten workers' series are removed), outcomes,
 * partitions, states.
 *
 * <p>Threading: meters are registered and removed on the fleet verticle's event loop; a scrape
 * reads them from the HTTP server's thread, so every value comes from a volatile or concurrent
 * field holding immutable data. {@link #close()} removes every meter registered here.
 */
final class FleetMetrics implements FleetView.Listener, AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> shared = new ArrayList<>();
  private final Map<String, List<Meter>> byWorker = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
  private final Counter received;
  private final Counter rejected;
  private volatile ProjectionSnapshot snapshot = ProjectionSnapshot.EMPTY;
  private volatile FleetReport.Totals totals;

  FleetMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      shared.add(FunctionCounter.builder(MetricNames.TASKS_FINISHED, this,
              m -> m.snapshot.finishedByOutcome()[o.ordinal()])
          .tag(LABEL_OUTCOME, o.name()).description("Task attempts that reached this outcome")
          .register(registry));
    }
    shared.add(FunctionCounter.builder(MetricNames.BATCHES_SUBMITTED, this, m -> m.snapshot.batchesAccepted())
        .description("Batches accepted").register(registry));
    shared.add(FunctionCounter.builder(MetricNames.TASKS_SUBMITTED, this, m -> m.snapshot.tasksAccepted())
        .description("Tasks of the batches accepted").register(registry));
    shared.add(gauge(MetricNames.BATCHES_OPEN, "Batches not yet done", null, m -> m.snapshot.openBatches()));
    String unfinished = "Tasks of the open batches by state (suspect: RUNNING on a worker that is DOWN)";
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, unfinished, "queued", FleetReport.Totals::queuedTasks));
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, unfinished, "running", FleetReport.Totals::runningTasks));
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, unfinished, "suspect", FleetReport.Totals::suspectTasks));
    shared.add(totalsGauge(MetricNames.FLEET_WORKERS, "Workers in the fleet table", "up", FleetReport.Totals::up));
    shared.add(totalsGauge(MetricNames.FLEET_WORKERS, "Workers in the fleet table", "down", FleetReport.Totals::down));
    received = Counter.builder(MetricNames.FLEET_TELEMETRY_RECEIVED).description("Telemetry samples received")
        .register(registry);
    rejected = Counter.builder(MetricNames.FLEET_TELEMETRY_REJECTED)
        .description("Telemetry messages that could not be decoded").register(registry);
    shared.add(received);
    shared.add(rejected);
  }

  void received() {
    received.increment();
  }

  void rejected() {
    rejected.increment();
  }

  /** Publishes one tick's figures to the meters. */
  void update(ProjectionSnapshot p, FleetReport report) {
    snapshot = p;
    totals = report.totals();
  }

  /** Publishes a queue-lag poll: one gauge per partition, registered on first sight. */
  void lag(QueueLag l) {
    l.partitions().forEach((partition, records) -> {
      if (lag.put(partition, records) == null) {
        shared.add(Gauge.builder(MetricNames.QUEUE_LAG, lag, m -> m.getOrDefault(partition, 0L))
            .tag(LABEL_PARTITION, Integer.toString(partition)).baseUnit("records")
            .description("Records of the tasks topic not yet committed by the worker group")
            .strongReference(true).register(registry));
      }
    });
  }

  /** One per-worker gauge: its name, base unit (or null), help text and value. */
  private record WorkerGauge(String name, String unit, String help, ToDoubleFunction<WorkerState> value) {}

  private static final List<WorkerGauge> WORKER_GAUGES = List.of(
      new WorkerGauge(MetricNames.FLEET_WORKER_UP, null, "1 while the worker's telemetry arrives, 0 once DOWN",
          s -> s.up() ? 1 : 0),
      new WorkerGauge(MetricNames.FLEET_WORKER_HEALTHY, null, "1 while the worker takes tasks, 0 while unhealthy",
          s -> s.latest().healthy() ? 1 : 0),
      new WorkerGauge(MetricNames.FLEET_WORKER_CAP, null, "The worker's child cap", s -> s.latest().cap()),
      new WorkerGauge(MetricNames.FLEET_WORKER_CHILDREN, null, "Task children running on the worker",
          s -> s.latest().liveChildren()),
      new WorkerGauge(MetricNames.FLEET_WORKER_QUEUED, null, "Tasks the worker holds waiting for a slot",
          s -> s.latest().queued()),
      new WorkerGauge(MetricNames.FLEET_WORKER_RUNNING, null, "Tasks the coordinator shows RUNNING on the worker",
          WorkerState::runningTasks),
      new WorkerGauge(MetricNames.FLEET_WORKER_CPU, "cores", "CPU of the worker process",
          s -> s.latest().processCpuCores()),
      new WorkerGauge(MetricNames.FLEET_WORKER_CHILDREN_CPU, "cores", "CPU of the worker's live task processes",
          s -> s.latest().childrenCpuCores()),
      new WorkerGauge(MetricNames.FLEET_WORKER_RSS, "bytes", "Resident memory of the worker process",
          s -> s.latest().rssBytes()),
      new WorkerGauge(MetricNames.FLEET_WORKER_CHILDREN_RSS, "bytes", "Resident memory of the worker's task processes",
          s -> s.latest().childrenRssBytes()),
      new WorkerGauge(MetricNames.FLEET_WORKER_HEAP, "bytes", "JVM heap in use in the worker",
          s -> s.latest().heapUsedBytes()),
      new WorkerGauge(MetricNames.FLEET_WORKER_FDS, null, "Open file descriptors of the worker process",
          s -> s.latest().openFds()),
      new WorkerGauge(MetricNames.FLEET_WORKER_THREADS, null, "Threads of the worker process",
          s -> s.latest().threads()),
      new WorkerGauge(MetricNames.FLEET_WORKER_ZOMBIES, null, "Zombie children of the worker process",
          s -> s.latest().zombies()),
      new WorkerGauge(MetricNames.FLEET_WORKER_HOST_CPU, "cores", "CPU in use on the worker's host",
          s -> s.latest().hostCpuCores()),
      new WorkerGauge(MetricNames.FLEET_WORKER_HOST_LOAD, null, "One-minute load average of the worker's host",
          s -> s.latest().load1()));

  @Override
  public void added(WorkerState w) {
    List<Meter> meters = new ArrayList<>();
    for (WorkerGauge g : WORKER_GAUGES) {
      meters.add(Gauge.builder(g.name(), w, g.value()).tag(LABEL_WORKER, w.workerId).baseUnit(g.unit())
          .description(g.help()).strongReference(true).register(registry));
    }
    meters.add(FunctionCounter.builder(MetricNames.FLEET_WORKER_RESTARTS, w, WorkerState::restarts)
        .tag(LABEL_WORKER, w.workerId).description("Restarts of the worker seen by the coordinator")
        .register(registry));
    List<Meter> old = byWorker.put(w.workerId, meters);
    if (old != null) {
      old.forEach(registry::remove);
    }
  }

  @Override
  public void forgotten(String workerId) {
    List<Meter> meters = byWorker.remove(workerId);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  @Override
  public void close() {
    byWorker.values().forEach(ms -> ms.forEach(registry::remove));
    byWorker.clear();
    shared.forEach(registry::remove);
    shared.clear();
  }

  private Meter totalsGauge(String name, String description, String state, ToDoubleFunction<FleetReport.Totals> f) {
    return gauge(name, description, state, m -> m.totals == null ? 0 : f.applyAsDouble(m.totals));
  }

  private Meter gauge(String name, String description, String state, ToDoubleFunction<FleetMetrics> f) {
    Gauge.Builder<FleetMetrics> b = Gauge.builder(name, this, f).description(description).strongReference(true);
    if (state != null) {
      b.tag(LABEL_STATE, state);
    }
    return b.register(registry);
  }
}
