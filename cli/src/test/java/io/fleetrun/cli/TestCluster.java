package io.fleetrun.cli;

import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.coordinator.CoordinatorConfig;
import io.fleetrun.coordinator.CoordinatorVerticle;
import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** A coordinator and a worker in one Vert.x on the shared test broker, restartable piecewise. */
final class TestCluster implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final String bootstrap = TestKafka.bootstrap();
  private final int cap;
  private String coordinatorDeployment;
  private String workerDeployment;
  private CoordinatorVerticle coordinator;

  TestCluster(int cap) throws Exception {
    this.cap = cap;
    startCoordinator();
    startWorker();
  }

  /** Starts a worker with a new id (a restarted worker is a new member of the group). */
  void startWorker() throws Exception {
    WorkerConfig wc = WorkerConfig.defaults(bootstrap).withMaxChildren(cap).withWorkerId("e2e-" + System.nanoTime());
    workerDeployment = vertx.deployVerticle(new WorkerVerticle(wc)).await(60, TimeUnit.SECONDS);
  }

  /** Stops the worker as a shutdown does: its children are stopped and their tasks left uncommitted. */
  void stopWorker() throws Exception {
    vertx.undeploy(workerDeployment).await(60, TimeUnit.SECONDS);
  }

  void startCoordinator() throws Exception {
    coordinator = new CoordinatorVerticle(CoordinatorConfig.local(bootstrap, 0));
    coordinatorDeployment = vertx.deployVerticle(coordinator).await(60, TimeUnit.SECONDS);
  }

  void stopCoordinator() throws Exception {
    vertx.undeploy(coordinatorDeployment).await(60, TimeUnit.SECONDS);
  }

  CoordinatorClient client() {
    return new CoordinatorClient("http://127.0.0.1:" + coordinator.actualPort(), null);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }
}
