package io.fleetrun.cli;

import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one worker: joins the worker group and runs tasks as child processes. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker: consume tasks from Kafka and run them as child processes under a cap.")
final class WorkerCommand implements Callable<Integer> {
  @Mixin WorkerOptions options;
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    WorkerConfig config = options.config();
    Vertx vertx = FleetVertx.start(cluster.config(), "worker " + config.workerId());
    try {
      vertx.deployVerticle(new WorkerVerticle(config)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new CliException("worker did not start: " + e.getMessage());
    }
    System.out.println("worker " + config.workerId() + " running, cap " + config.maxChildren()
        + " (threshold " + config.threshold() + "), broker " + config.bootstrap());
    Daemon.runUntilStopped(vertx, "worker");
    return 0;
  }
}
