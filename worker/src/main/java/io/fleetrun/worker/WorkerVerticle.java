package io.fleetrun.worker;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.worker.process.ChildHandle;
import io.fleetrun.worker.process.ProcessSupervisor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes tasks from {@link Topics#TASKS} as a member of {@link Topics#WORKER_GROUP}, runs each
 * through the {@link ProcessSupervisor} with at most {@code maxChildren} alive at once, and
 * reports FINISHED events, and STARTED events for tasks that run long enough ({@link StartReports}).
 *
 * <p>Start order: of the tasks waiting here, the oldest batch's go first, and within a batch the
 * lowest seq, as GNU parallel starts jobs in input order; records of one batch arrive spread over
 * many partitions, so arrival order alone would start a batch's first tasks late.
 *
 * <p>Backpressure: records wait locally only while every slot is busy, at most {@code prefetch}
 * of them (see {@link WorkerConfig#prefetch()}). When the local queue is full every assigned partition is paused;
 * it resumes once the queue is half empty, so the next records arrive while the slots are still
 * busy instead of after they free. The consumer keeps polling while paused, so the member stays
 * alive in the group however long a task runs. Offsets commit per partition up to the highest contiguous record whose FINISHED event
 * the broker acknowledged ({@link OffsetTracker}). All state is confined to this verticle's
 * context; supervisor callbacks hop onto it.
 *
 * <p>Cancel: a {@link ControlFollower} reads {@link Topics#CONTROL} from its start before the
 * worker takes its first task, then live. A cancelled task that arrives is reported CANCELLED
 * without being spawned; a running one gets the supervisor's stop sequence.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final long POLL_MS = 20;
  private static final long MEMORY_CHECK_MS = 500;
  static final long SESSION_TIMEOUT_MS = 10_000;

  private final WorkerConfig config;
  private final PriorityQueue<Pending> queue = new PriorityQueue<>(Pending.START_ORDER);
  private final Cancellations cancellations = new Cancellations();
  private final HostMemory hostMemory;
  private final LongSupplier memAvailable;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private ProcessSupervisor supervisor;
  private OffsetCommits commits;
  private WorkerStats stats;
  private KafkaConsumer<String, byte[]> consumer;
  private ResultPublisher results;
  private StartReports startReports;
  private ControlFollower control;
  private int running;
  private boolean paused;
  private boolean stopping;
  private SpawnHealth health;

  private record Pending(TopicPartition tp, long offset, TaskSpec spec) {
    /** Oldest batch first, then input order within it. */
    static final Comparator<Pending> START_ORDER = Comparator
        .comparingLong((Pending p) -> p.spec.submittedAtMs())
        .thenComparing(p -> p.spec.batchId())
        .thenComparingInt(p -> p.spec.seq())
        .thenComparingInt(p -> p.spec.attempt());
  }

  public WorkerVerticle(WorkerConfig config) {
    this(config, HostMemory.PROC_MEMINFO);
  }

  /** @param memAvailable reads the host's available memory (blocking; tests pass their own) */
  WorkerVerticle(WorkerConfig config, LongSupplier memAvailable) {
    this.config = config.validate();
    this.hostMemory = new HostMemory(config.minFreeMemoryBytes());
    this.memAvailable = memAvailable;
  }

  @Override
  public Future<?> start() {
    results = new ResultPublisher(vertx, config);
    startReports = new StartReports(vertx, results);
    stats = new WorkerStats(VertxRuntime.registry(vertx), config);
    Map<String, String> cc = KafkaClients.consumer(config.bootstrap(), Topics.WORKER_GROUP, config.workerId());
    cc.put("max.poll.records", Integer.toString(config.prefetch()));
    // A worker killed without leaving the group keeps its partitions until its session expires:
    // 10 s instead of Kafka's 45 s before its unfinished tasks go to the others. Heartbeats come
    // from the client's own thread (every 3 s), so a long task never ends a session.
    cc.put("session.timeout.ms", Long.toString(SESSION_TIMEOUT_MS));
    consumer = KafkaConsumer.create(vertx, cc);
    commits = new OffsetCommits(vertx, consumer, this::onConsumerError);
    // a resume or a commit waits behind the running poll: keep polls short
    consumer.pollTimeout(Duration.ofMillis(POLL_MS));
    consumer.partitionsAssignedHandler(this::onAssigned);
    consumer.partitionsRevokedHandler(this::onRevoked);
    consumer.exceptionHandler(this::onConsumerError);
    consumer.handler(this::onRecord);
    LOG.info("worker {} joining {} with cap {} (threshold {})",
        config.workerId(), Topics.WORKER_GROUP, config.maxChildren(), config.threshold());
    // every cancel already on the control topic is known before the first task is taken
    control = new ControlFollower(config.bootstrap(), config.workerId() + "-control",
        vertx.getOrCreateContext(), cancellations::apply);
    health = new SpawnHealth(vertx, config, () -> supervisor, this::leaveGroup, this::rejoinGroup);
    if (hostMemory.enabled()) {
      vertx.setPeriodic(MEMORY_CHECK_MS, id -> checkHostMemory());
    }
    // blocking: native library load, a /proc sweep for what a crashed worker left running
    return vertx.executeBlocking(() -> {
          ProcessSupervisor.killOrphansOfDeadWorkers();
          supervisor = new ProcessSupervisor(config.containment());
          LOG.info("worker {}: task containment {} ({})", config.workerId(),
              supervisor.containment().label(), supervisor.containmentDetail());
          if (supervisor.containmentAdvice() != null) {
            LOG.info("worker {}: {}", config.workerId(), supervisor.containmentAdvice());
          }
          return memAvailable.getAsLong();
        })
        // the first reading comes before the first task, not a check period later
        .map(available -> hostMemory.enabled() && hostMemory.update(available))
        .compose(v -> vertx.deployVerticle(new TelemetryVerticle(config, stats, supervisor)))
        .compose(v -> control.start())
        .compose(v -> consumer.subscribe(Topics.TASKS))
        .onFailure(e -> stats.close()); // stop() is not called after a failed start
  }

  /** Live children right now (for tests and telemetry); call on this verticle's context. */
  int running() {
    return running;
  }

  private void onRecord(KafkaConsumerRecord<String, byte[]> rec) {
    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
    if (stopping || !assigned.contains(tp)) {
      return; // not ours any more: the new owner receives it again
    }
    commits.received(tp, rec.offset());
    TaskSpec spec;
    try {
      spec = Json.read(rec.value(), TaskSpec.class);
    } catch (RuntimeException e) {
      // a record that is not a task cannot be reported to any batch; skip it so it stops no one
      LOG.warn("skipping unreadable task record {}@{}: {}", tp, rec.offset(), e.getMessage());
      commits.finished(tp, rec.offset());
      return;
    }
    queue.add(new Pending(tp, rec.offset(), spec));
    launchWhileFree();
  }

  private void launchWhileFree() {
    while (!stopping && !health.unhealthy() && !hostMemory.isShort() && running < config.maxChildren() && !queue.isEmpty()) {
      launch(queue.poll());
    }
    updatePause();
    syncStats();
  }

  /** Publishes this context's state to the thread-safe figures telemetry and metrics read. */
  private void syncStats() {
    stats.running.set(running);
    stats.queued.set(queue.size());
    stats.assignedPartitions.set(assigned.size());
    stats.pausedPartitions.set(paused ? assigned.size() : 0);
    stats.healthy = !health.unhealthy();
    stats.memoryPaused = hostMemory.isShort();
  }

  private void launch(Pending p) {
    TaskSpec spec = p.spec();
    if (cancellations.isCancelled(spec)) {
      report(p, spec, Cancellations.notStarted(System.currentTimeMillis()));
      return;
    }
    running++;
    long slotTakenAt = System.nanoTime();
    ChildHandle child = supervisor.start(spec, ProcessSupervisor.defaultBaseEnv());
    cancellations.started(child);
    var context = vertx.getOrCreateContext();
    child.started().thenAccept(pid -> {
      if (pid > 0) {
        stats.spawned(System.nanoTime() - slotTakenAt);
        context.runOnContext(v -> health.spawned());
        long at = System.currentTimeMillis();
        context.runOnContext(v -> startReports.started(spec, at));
      }
    });
    child.result().whenComplete((result, err) ->
        context.runOnContext(v -> onExit(p, spec, result, err, child.spawnFailedOnHost())));
  }

  private void onExit(Pending p, TaskSpec spec, TaskResult result, Throwable err, boolean hostFault) {
    running--;
    cancellations.ended(spec);
    startReports.ended(spec);
    if (err == null && hostFault && !stopping) {
      if (health.hostFailure(spec, result.error())) {
        queue.add(p); // back in its place: tried again before anything that came after it
      }
    } else if (err != null) {
      LOG.error("supervisor failed task {}: {}", spec.taskId(), err.toString());
    } else if (!stopping) {
      report(p, spec, result);
    }
    launchWhileFree();
  }

  /** Unhealthy: the partitions and the records waiting here go to healthy workers. */
  private void leaveGroup() {
    syncStats();
    consumer.unsubscribe().onFailure(this::onConsumerError);
  }

  private void rejoinGroup() {
    syncStats();
    consumer.subscribe(Topics.TASKS).onFailure(this::onConsumerError);
  }

  /** True while the worker has left the group after repeated host spawn failures; any thread. */
  boolean unhealthy() {
    return health.unhealthy();
  }

  /** Publishes the FINISHED event; the record's offset counts as done once the broker has it. */
  private void report(Pending p, TaskSpec spec, TaskResult result) {
    stats.finished(result);
    results.finished(spec, result).onComplete(ack -> {
      if (ack.succeeded()) {
        commits.finished(p.tp(), p.offset());
      } else {
        // not committed: the task runs again after a rebalance or restart (at-least-once)
        LOG.error("FINISHED event of {} not acknowledged: {}", spec.taskId(), ack.cause().toString());
      }
    });
  }

  private void updatePause() {
    if (!paused && !assigned.isEmpty() && (stopping || queue.size() >= config.prefetch())) {
      paused = true;
      consumer.pause(Set.copyOf(assigned));
    } else if (paused && !stopping && queue.size() <= config.prefetch() / 2) {
      paused = false;
      consumer.resume(Set.copyOf(assigned));
    }
  }

  private void checkHostMemory() {
    vertx.executeBlocking(memAvailable::getAsLong).onSuccess(bytes -> {
      if (hostMemory.update(bytes)) {
        launchWhileFree();
      }
    });
  }

  private void onConsumerError(Throwable e) {
    if (!(stopping && e instanceof org.apache.kafka.common.errors.WakeupException)) {
      LOG.warn("task consumer: {}", e.toString());
    }
  }

  private void onAssigned(Set<TopicPartition> partitions) {
    assigned.addAll(partitions);
    if (paused && !partitions.isEmpty()) {
      consumer.pause(partitions);
    }
    syncStats();
  }

  private void onRevoked(Set<TopicPartition> partitions) {
    commits.commitNow();
    assigned.removeAll(partitions);
    queue.removeIf(p -> partitions.contains(p.tp()));
    partitions.forEach(commits::revoked);
    syncStats();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    health.close();
    startReports.close();
    updatePause();
    // children still running are stopped; their tasks are not committed, so they run again elsewhere
    return vertx.executeBlocking(() -> {
          if (supervisor != null) {
            supervisor.close();
          }
          if (control != null) {
            control.stop();
          }
          return null;
        })
        .compose(v -> commits.commitNow().recover(e -> Future.succeededFuture()))
        .compose(v -> consumer.close())
        .eventually(() -> results.close())
        .eventually(() -> {
          stats.close();
          return Future.succeededFuture();
        });
  }
}
