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
  private final Map<String, Integer> runningByWorker = new ConcurrentHashMap<>();
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
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, "queued", FleetReport.Totals::queuedTasks));
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, "running", FleetReport.Totals::runningTasks));
    shared.add(totalsGauge(MetricNames.TASKS_UNFINISHED, "suspect", FleetReport.Totals::suspectTasks));
    shared.add(totalsGauge(MetricNames.FLEET_WORKERS, "up", FleetReport.Totals::up));
    shared.add(totalsGauge(MetricNames.FLEET_WORKERS, "down", FleetReport.Totals::down));
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
    report.workers().forEach(w -> runningByWorker.put(w.workerId(), w.runningTasks()));
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

  @Override
  public void added(WorkerState w) {
    String id = w.workerId;
    List<Meter> meters = new ArrayList<>();
    meters.add(workerGauge(MetricNames.FLEET_WORKER_UP, w, null, s -> s.up() ? 1 : 0));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_HEALTHY, w, null, s -> s.latest().healthy() ? 1 : 0));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_CAP, w, null, s -> s.latest().cap()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_CHILDREN, w, null, s -> s.latest().liveChildren()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_QUEUED, w, null, s -> s.latest().queued()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_RUNNING, w, null, s -> runningByWorker.getOrDefault(id, 0)));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_CPU, w, "cores", s -> s.latest().processCpuCores()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_CHILDREN_CPU, w, "cores", s -> s.latest().childrenCpuCores()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_RSS, w, "bytes", s -> s.latest().rssBytes()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_CHILDREN_RSS, w, "bytes", s -> s.latest().childrenRssBytes()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_HEAP, w, "bytes", s -> s.latest().heapUsedBytes()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_FDS, w, null, s -> s.latest().openFds()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_THREADS, w, null, s -> s.latest().threads()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_ZOMBIES, w, null, s -> s.latest().zombies()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_HOST_CPU, w, "cores", s -> s.latest().hostCpuCores()));
    meters.add(workerGauge(MetricNames.FLEET_WORKER_HOST_LOAD, w, null, s -> s.latest().load1()));
    meters.add(FunctionCounter.builder(MetricNames.FLEET_WORKER_RESTARTS, w, WorkerState::restarts)
        .tag(LABEL_WORKER, id).description("Restarts of the worker seen by the coordinator").register(registry));
    List<Meter> old = byWorker.put(id, meters);
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
    runningByWorker.remove(workerId);
  }

  @Override
  public void close() {
    byWorker.values().forEach(ms -> ms.forEach(registry::remove));
    byWorker.clear();
    shared.forEach(registry::remove);
    shared.clear();
  }

  private Meter workerGauge(String name, WorkerState w, String unit, ToDoubleFunction<WorkerState> f) {
    return Gauge.builder(name, w, f).tag(LABEL_WORKER, w.workerId).baseUnit(unit)
        .strongReference(true).register(registry);
  }

  private Meter totalsGauge(String name, String state, ToDoubleFunction<FleetReport.Totals> f) {
    return gauge(name, null, state, m -> m.totals == null ? 0 : f.applyAsDouble(m.totals));
  }

  private Meter gauge(String name, String description, String state, ToDoubleFunction<FleetMetrics> f) {
    Gauge.Builder<FleetMetrics> b = Gauge.builder(name, this, f).description(description).strongReference(true);
    if (state != null) {
      b.tag(LABEL_STATE, state);
    }
    return b.register(registry);
  }
}
