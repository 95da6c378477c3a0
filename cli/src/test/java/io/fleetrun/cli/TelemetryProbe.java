package io.fleetrun.cli;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * This test JVM as one more member of a fleet's cluster, made by the same {@link FleetVertx} the
 * roles use, reading every worker's telemetry off the clustered event bus: what crosses between
 * processes is what the test sees. Thread-safe; close it to leave the cluster.
 */
final class TelemetryProbe implements AutoCloseable {
  private final Vertx vertx;
  private final Map<String, List<WorkerTelemetry>> byWorker = new ConcurrentHashMap<>();

  TelemetryProbe(ClusterConfig cluster) throws Exception {
    vertx = FleetVertx.start(cluster, "test probe");
    vertx.eventBus().<JsonObject>consumer(Addresses.TELEMETRY, m -> {
      WorkerTelemetry t = Json.read(m.body().toBuffer().getBytes(), WorkerTelemetry.class);
      byWorker.computeIfAbsent(t.workerId(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(t);
    }).completion().await(30, TimeUnit.SECONDS);
  }

  /** Samples of {@code workerId} received so far, oldest first. */
  List<WorkerTelemetry> samples(String workerId) {
    List<WorkerTelemetry> list = byWorker.get(workerId);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /** Waits for a sample of {@code workerId} that satisfies {@code test}, and returns it. */
  WorkerTelemetry await(String workerId, Predicate<WorkerTelemetry> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkerTelemetry t : samples(workerId)) {
        if (test.test(t)) {
          return t;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no telemetry of " + workerId + " as expected within " + timeout + "; last: "
        + samples(workerId).stream().skip(Math.max(0, samples(workerId).size() - 1)).findFirst().orElse(null));
  }

  @Override
  public void close() throws Exception {
    Object manager = ((VertxInternal) vertx).clusterManager();
    vertx.close().await(30, TimeUnit.SECONDS);
    stopThrottlingThread(manager);
  }

  /**
   * vertx-hazelcast 5.0.7 closes its subscription throttling but never shuts down the executor
   * behind it: each clustered Vert.x closed leaves one idle daemon thread. Harmless in a role's JVM
   * (one Vert.x, then exit); in this test JVM the leak guard would rightly flag it, so the probe
   * stops it itself.
   */
  private static void stopThrottlingThread(Object manager) throws ReflectiveOperationException {
    Object subs = field(manager, "subsMapHelper");
    Object throttling = subs == null ? null : field(subs, "throttling");
    if (throttling != null) {
      ((ExecutorService) field(throttling, "executorService")).shutdownNow();
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }
}
