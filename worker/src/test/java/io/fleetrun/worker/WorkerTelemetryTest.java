package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What a running worker publishes about itself, read back from the event bus and /metrics. */
class WorkerTelemetryTest extends WorkerTestBase {
  private final List<WorkerTelemetry> samples = new CopyOnWriteArrayList<>();

  private WorkerConfig deployWithTelemetry(int cap) throws Exception {
    WorkerConfig cfg = WorkerConfig.defaults(bootstrap).withMaxChildren(cap).withWorkerId("tele-" + System.nanoTime())
        .withTelemetry(200, "127.0.0.1", 0);
    vertx.eventBus().<JsonObject>consumer(Addresses.TELEMETRY, m -> {
      WorkerTelemetry t = Json.read(m.body().toBuffer().getBytes(), WorkerTelemetry.class);
      if (t.workerId().equals(cfg.workerId())) {
        samples.add(t);
      }
    });
    vertx.deployVerticle(new WorkerVerticle(cfg)).await(60, TimeUnit.SECONDS);
    return cfg;
  }

  private WorkerTelemetry awaitSample(Predicate<WorkerTelemetry> p, String what) throws InterruptedException {
    long end = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < end) {
      for (WorkerTelemetry t : samples) {
        if (p.test(t)) {
          return t;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no telemetry sample with " + what + " in 30 s; last: "
        + (samples.isEmpty() ? "none" : samples.get(samples.size() - 1)));
  }

  @Test
  void telemetryShowsLiveChildrenTheirMemoryAndEveryOutcomeExactly() throws Exception {
    WorkerConfig cfg = deployWithTelemetry(4);
    String batch = "btele" + System.nanoTime();
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      tasks.add(task(batch, i, "sleep 2; echo done", 30_000));
    }
    tasks.add(task(batch, 4, "exit 3", 30_000));
    publish(tasks);

    WorkerTelemetry busy = awaitSample(t -> t.liveChildren() == 3 && t.childrenRssBytes() > 0,
        "3 live children holding memory");
    assertEquals(cfg.maxChildren(), busy.cap());
    assertEquals(cfg.threshold(), busy.threshold());
    assertEquals(ProcessHandle.current().pid(), busy.pid());
    assertTrue(Set.of("cgroup", "cgroup-v1", "pgroup").contains(busy.containment()), busy.containment());
    assertTrue(busy.healthy());
    assertTrue(busy.assignedPartitions() > 0, "partitions assigned");

    WorkerTelemetry done = awaitSample(t -> t.finished(Outcome.SUCCEEDED) == 3 && t.liveChildren() == 0,
        "3 successes and no live child");
    assertEquals(1, done.finished(Outcome.FAILED));
    assertEquals(4, done.started());
    assertEquals(0, done.zombies());
    assertEquals(0, done.childrenRssBytes());
    assertTrue(done.threads() > 5 && done.openFds() > 3 && done.rssBytes() > 0 && done.heapUsedBytes() > 0, done.toString());
    assertEquals(Runtime.getRuntime().availableProcessors(), done.hostCores());
    // every spawn lands in exactly one interval's histogram, every end in one run-time histogram
    awaitSample(t -> sumCounts(true) == 4 && sumCounts(false) == 4, "4 spawn latencies and 4 run times in all");

    assertNotNull(done.metricsUrl(), "a metrics endpoint on a free port");
    // Vert.x's client closes with the test's Vert.x (the JDK's keeps a selector until a GC)
    String metrics = vertx.createHttpClient()
        .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(done.metricsUrl()))
        .compose(req -> req.send()).compose(resp -> resp.body()).await(10, TimeUnit.SECONDS).toString();
    String worker = "worker=\"" + cfg.workerId() + "\"";
    assertTrue(metrics.contains("fleetrun_worker_tasks_finished_total{outcome=\"SUCCEEDED\"," + worker + "} 3.0"), metrics);
    assertTrue(metrics.contains("fleetrun_worker_tasks_started_total{" + worker + "} 4.0"), metrics);
    assertTrue(metrics.contains("fleetrun_worker_cap{" + worker + "} 4.0"), metrics);
    assertTrue(metrics.contains("fleetrun_worker_spawn_latency_seconds_count{" + worker + "} 4"), metrics);
  }

  private long sumCounts(boolean spawn) {
    return samples.stream().mapToLong(t -> (spawn ? t.spawnLatencyMs() : t.runTimeMs()).count()).sum();
  }
}
