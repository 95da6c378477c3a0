package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole fleet in this JVM on the shared test broker: one Vert.x with metrics (as {@code
 * fleetrun local} makes it), a coordinator with a fast fleet tick, and real workers publishing
 * real telemetry. Closing it stops the workers (and their children) and the coordinator, then
 * checks that no task process or zombie is left.
 */
final class TestFleet implements AutoCloseable {
  /** Ticks and lag polls fast enough for tests to see changes within a second or two. */
  static final FleetSettings FAST = new FleetSettings(500, 3, 600_000, 5_000, 1_000, 300);

  final Vertx vertx = VertxRuntime.create();
  final TestCoordinator coordinator;
  final List<String> workerIds = new ArrayList<>();
  private final List<String> workerDeployments = new ArrayList<>();

  private TestFleet(CoordinatorConfig config, int workers, int cap) throws Exception {
    coordinator = TestCoordinator.deploy(vertx, new CoordinatorVerticle(config, FAST), config.token());
    String tag = Long.toString(System.nanoTime() % 100_000, 36);
    for (int i = 1; i <= workers; i++) {
      String id = "w" + i + "-" + tag;
      WorkerConfig wc = WorkerConfig.defaults(TestKafka.bootstrap()).withMaxChildren(cap).withWorkerId(id)
          .withTelemetry(500, null, WorkerConfig.NO_METRICS);
      workerDeployments.add(vertx.deployVerticle(new WorkerVerticle(wc.validate())).await(60, TimeUnit.SECONDS));
      workerIds.add(id);
    }
  }

  static TestFleet start(int workers, int cap, String token) throws Exception {
    CoordinatorConfig config = CoordinatorConfig.local(TestKafka.bootstrap(), 0).withToken(token);
    return new TestFleet(config, workers, cap);
  }

  /** Stops worker {@code index} (0-based) as a shutdown does: its telemetry stops with it. */
  void stopWorker(int index) throws Exception {
    vertx.undeploy(workerDeployments.get(index)).await(60, TimeUnit.SECONDS);
  }

  /** Cancels a batch (quietly: the test's own assertions said what matters). */
  void cancel(String batchId) {
    coordinator.cancelQuietly(batchId);
  }

  @Override
  public void close() {
    coordinator.close();
    assertEquals(0, ChildProcesses.liveTaskRoots(), "a task tree outlived its worker");
    assertEquals(0, ChildProcesses.zombies(), "zombie children of the test JVM");
  }
}
