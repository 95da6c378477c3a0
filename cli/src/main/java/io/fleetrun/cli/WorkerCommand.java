package io.fleetrun.cli;

import io.fleetrun.common.kafka.TopicSetup;
import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one worker: joins the worker group and runs tasks as child processes. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker: consume tasks from Kafka and run them as child processes under a cap.")
final class WorkerCommand implements Callable<Integer> {
  private static final long TOPIC_POLL_MS = 2_000;

  @Mixin WorkerOptions options;
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    WorkerConfig config = options.config();
    awaitTopics(config.bootstrap());
    Vertx vertx = FleetVertx.start(cluster.config(), "worker " + config.workerId());
    try {
      vertx.deployVerticle(new WorkerVerticle(config)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new CliException("worker did not start: " + (e.getMessage() != null ? e.getMessage() : e));
    }
    System.out.println("worker " + config.workerId() + " running, cap " + config.maxChildren()
        + " (threshold " + config.threshold() + "), broker " + config.bootstrap());
    Daemon.runUntilStopped(vertx, "worker");
    return 0;
  }

  /**
   * Fails fast when Kafka does not answer, and waits while fleetrun's topics are missing (a
   * coordinator creates them, with the partition count it is given): a worker started first
   * must not leave the topics to a broker's auto-creation, with the wrong settings.
   */
  private static void awaitTopics(String bootstrap) throws InterruptedException {
    boolean said = false;
    for (;;) {
      List<String> missing;
      try {
        missing = TopicSetup.missing(bootstrap);
      } catch (IllegalStateException e) {
        throw new CliException("worker did not start: " + e.getMessage());
      }
      if (missing.isEmpty()) {
        return;
      }
      if (!said) {
        System.err.println("fleetrun: waiting for topics " + String.join(", ", missing) + " on " + bootstrap
            + " (a coordinator creates them at its start)");
        said = true;
      }
      Thread.sleep(TOPIC_POLL_MS);
    }
  }
}
