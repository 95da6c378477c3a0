package io.fleetrun.worker;

import io.fleetrun.common.Topics;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.worker.process.ProcessSupervisor;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this host can spawn: counts the spawns in a row that failed for a reason of the host (no
 * free fds, memory, process slot or cgroup; never a task's own bad cwd or missing program). After
 * {@link WorkerConfig#unhealthyAfter()} of them the worker is unhealthy: it calls {@code leave}
 * (the worker leaves the consumer group, so healthy workers take its tasks) and spawns a probe
 * ({@code /bin/true}) every {@link WorkerConfig#PROBE_MS} ms; the first probe that succeeds calls
 * {@code rejoin}.
 *
 * <p>Threading: the worker verticle's context only, except {@link #unhealthy()}, which any thread
 * may read.
 */
final class SpawnHealth {
  private static final Logger LOG = LoggerFactory.getLogger(SpawnHealth.class);

  private final Vertx vertx;
  private final WorkerConfig config;
  private final Supplier<ProcessSupervisor> supervisor;
  private final Runnable leave;
  private final Runnable rejoin;
  /** Spawns in a row that failed for a reason of this host; any child that starts resets it. */
  private int failures;
  private volatile boolean unhealthy;
  private long probeTimer = -1;
  private long probes;
  private boolean closed;

  /**
   * @param supervisor the worker's, once it has one (no spawn fails before)
   * @param leave and {@code rejoin} run on the caller's context when the health changes
   */
  SpawnHealth(Vertx vertx, WorkerConfig config, Supplier<ProcessSupervisor> supervisor, Runnable leave, Runnable rejoin) {
    this.vertx = vertx;
    this.config = config;
    this.supervisor = supervisor;
    this.leave = leave;
    this.rejoin = rejoin;
  }

  /** A child started: the host can spawn. */
  void spawned() {
    failures = 0;
  }

  /**
   * A task did not start for a reason of this host. It is not reported (it may well run
   * elsewhere).
   *
   * @return true to try it again here; false once the worker has become unhealthy, when the
   *     record goes to another worker with the partitions
   */
  boolean hostFailure(TaskSpec spec, String error) {
    failures++;
    LOG.warn("task {} did not start on this host ({} in a row): {}", spec.taskId(), failures, error);
    if (failures < config.unhealthyAfter()) {
      return true;
    }
    if (!unhealthy && !closed) {
      unhealthy = true;
      LOG.error("worker {} is unhealthy: {} spawns in a row failed for a reason of this host; leaving {} so"
          + " other workers take its tasks, probing every {} ms", config.workerId(), failures,
          Topics.WORKER_GROUP, WorkerConfig.PROBE_MS);
      leave.run();
      probeTimer = vertx.setPeriodic(WorkerConfig.PROBE_MS, id -> probe());
    }
    return false;
  }

  /** True while the worker has left the group after repeated host spawn failures; any thread. */
  boolean unhealthy() {
    return unhealthy;
  }

  /** No more probes (the worker stops). */
  void close() {
    closed = true;
    vertx.cancelTimer(probeTimer);
  }

  private void probe() {
    if (closed || !unhealthy) {
      return;
    }
    TaskSpec spec = new TaskSpec(TaskSpec.VERSION, "fleetrun-probe", config.workerId() + "-probe-" + ++probes, 0, 1,
        null, List.of("/bin/true"), Map.of(), null, 10_000, 1_000, 1024, null, null,
        System.currentTimeMillis());
    var context = vertx.getOrCreateContext();
    supervisor.get().start(spec, ProcessSupervisor.defaultBaseEnv()).result().whenComplete((r, e) ->
        context.runOnContext(v -> {
          if (e == null && r.outcome() == Outcome.SUCCEEDED && unhealthy && !closed) {
            recover();
          }
        }));
  }

  private void recover() {
    unhealthy = false;
    failures = 0;
    vertx.cancelTimer(probeTimer);
    LOG.info("worker {} is healthy again: a probe spawn worked; rejoining {}", config.workerId(), Topics.WORKER_GROUP);
    rejoin.run();
  }
}
