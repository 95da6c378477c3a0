package io.fleetrun.worker;

import io.fleetrun.common.MetricNames;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.WorkerTelemetry.Percentiles;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A worker's live figures: what {@link WorkerVerticle} does (slots, queue, partitions, health,
 * spawns and results) and what {@link ResourceSampler} last read, shared with the telemetry
 * publisher and exported as Micrometer meters tagged with the worker id (several workers may
 * share one registry in {@code local} mode).
 *
 * <p>Thread-safe: the worker's context writes, the telemetry verticle and scrapes read. {@link
 * #close()} removes the meters, so a worker deployed again under the same id registers afresh.
 */
final class WorkerStats implements AutoCloseable {
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger queued = new AtomicInteger();
  final AtomicInteger assignedPartitions = new AtomicInteger();
  final AtomicInteger pausedPartitions = new AtomicInteger();
  volatile boolean healthy = true;
  volatile boolean memoryPaused;
  /** The last resource reading; null before the first. */
  volatile ResourceSampler.Sample resources;

  private final LongAdder started = new LongAdder();
  private final Map<Outcome, LongAdder> finished = new EnumMap<>(Outcome.class);
  /** Microseconds; intervals taken by {@link #takeSpawnLatency()}. */
  private final Recorder spawnLatency = new Recorder(3);
  /** Milliseconds; intervals taken by {@link #takeRunTime()}. */
  private final Recorder runTime = new Recorder(3);
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer spawnTimer;
  private final Timer runTimer;

  WorkerStats(MeterRegistry registry, WorkerConfig config) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      finished.put(o, new LongAdder()); // filled once: later reads need no lock
    }
    Tags tags = Tags.of(MetricNames.LABEL_WORKER, config.workerId());
    gauge(MetricNames.WORKER_CHILDREN, "Task children running now", tags, s -> s.running.get(), null);
    gauge(MetricNames.WORKER_CAP, "The worker's child cap", tags, s -> config.maxChildren(), null);
    gauge(MetricNames.WORKER_THRESHOLD, "The node threshold the cap stays below", tags, s -> config.threshold(), null);
    gauge(MetricNames.WORKER_QUEUED, "Tasks received and waiting for a slot", tags, s -> s.queued.get(), null);
    gauge(MetricNames.WORKER_PAUSED_PARTITIONS, "Task partitions paused for backpressure", tags,
        s -> s.pausedPartitions.get(), null);
    gauge(MetricNames.WORKER_HEALTHY, "1 while the worker takes tasks, 0 while unhealthy", tags, s -> s.healthy ? 1 : 0, null);
    gauge(MetricNames.WORKER_OPEN_FDS, "Open file descriptors of the worker process", tags,
        s -> resource(s, ResourceSampler.Sample::openFds), null);
    gauge(MetricNames.WORKER_THREADS, "Threads of the worker process", tags,
        s -> resource(s, ResourceSampler.Sample::threads), null);
    gauge(MetricNames.WORKER_ZOMBIES, "Zombie children of the worker process (a child between exit and reap)",
        tags, s -> resource(s, ResourceSampler.Sample::zombies), null);
    gauge(MetricNames.WORKER_RSS, "Resident memory of the worker process", tags,
        s -> resource(s, ResourceSampler.Sample::rssBytes), "bytes");
    gauge(MetricNames.WORKER_CHILDREN_RSS, "Summed resident memory of the live task processes", tags,
        s -> resource(s, ResourceSampler.Sample::childrenRssBytes), "bytes");
    meters.add(FunctionCounter.builder(MetricNames.WORKER_TASKS_STARTED, started, LongAdder::sum)
        .description("Children spawned").tags(tags).register(registry));
    for (Outcome o : Outcome.values()) {
      meters.add(FunctionCounter.builder(MetricNames.WORKER_TASKS_FINISHED, finished.get(o), LongAdder::sum)
          .description("Results reported, by outcome").tags(tags.and(MetricNames.LABEL_OUTCOME, o.name())).register(registry));
    }
    spawnTimer = Timer.builder(MetricNames.WORKER_SPAWN_LATENCY).description("From taking a slot to the child running")
        .tags(tags).publishPercentileHistogram()
        .register(registry);
    runTimer = Timer.builder(MetricNames.WORKER_TASK_RUN_TIME).description("Wall time of ended tasks").tags(tags).publishPercentileHistogram()
        .register(registry);
    meters.add(spawnTimer);
    meters.add(runTimer);
  }

  private void gauge(String name, String help, Tags tags, ToDoubleFunction<WorkerStats> f, String unit) {
    meters.add(Gauge.builder(name, this, f).description(help).tags(tags).baseUnit(unit).strongReference(true)
        .register(registry));
  }

  private static double resource(WorkerStats s, ToDoubleFunction<ResourceSampler.Sample> f) {
    ResourceSampler.Sample r = s.resources;
    return r == null ? Double.NaN : f.applyAsDouble(r);
  }

  /** A child runs, {@code nanos} after its slot was taken. */
  void spawned(long nanos) {
    started.increment();
    spawnLatency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    spawnTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A result was reported. */
  void finished(TaskResult result) {
    finished.get(result.outcome()).increment();
    if (result.startedAtMs() > 0) {
      runTime.recordValue(result.durationMs());
      runTimer.record(result.durationMs(), TimeUnit.MILLISECONDS);
    }
  }

  long started() {
    return started.sum();
  }

  /** Results per outcome since start, outcomes never seen left out. */
  Map<Outcome, Long> finishedCounts() {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    finished.forEach((o, n) -> {
      long v = n.sum();
      if (v > 0) {
        counts.put(o, v);
      }
    });
    return counts;
  }

  /** Spawn latency in ms of the children started since the previous call. */
  Percentiles takeSpawnLatency() {
    return percentiles(spawnLatency.getIntervalHistogram(), 1e-3);
  }

  /** Run time in ms of the tasks ended since the previous call. */
  Percentiles takeRunTime() {
    return percentiles(runTime.getIntervalHistogram(), 1);
  }

  private static Percentiles percentiles(Histogram h, double scale) {
    if (h.getTotalCount() == 0) {
      return Percentiles.NONE;
    }
    return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50) * scale,
        h.getValueAtPercentile(95) * scale, h.getValueAtPercentile(99) * scale, h.getMaxValue() * scale);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
