package io.fleetrun.cli;

import io.fleetrun.common.kafka.TopicSetup;
import io.fleetrun.coordinator.CoordinatorConfig;
import io.fleetrun.coordinator.CoordinatorVerticle;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the coordinator: the HTTP API over the batch state folded from Kafka. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
    description = {"Run the coordinator: HTTP API, batch splitting onto Kafka, state folded from results.",
        "Binds to loopback by default; any other --host demands a --token."})
final class CoordinatorCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", defaultValue = "${env:FLEETRUN_BOOTSTRAP:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (env FLEETRUN_BOOTSTRAP; default ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--host", defaultValue = CoordinatorConfig.DEFAULT_HOST,
      description = "Address to bind (default ${DEFAULT-VALUE}; non-loopback needs --token).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0: a free port; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--token", defaultValue = "${env:FLEETRUN_TOKEN}",
      description = "Bearer token every /v1 call must carry (env FLEETRUN_TOKEN).")
  String token;

  @Option(names = "--max-body-bytes", defaultValue = "16777216",
      description = "Largest request body accepted (default ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--task-partitions", defaultValue = "32",
      description = "Partitions of fleetrun.tasks when this coordinator creates it (default ${DEFAULT-VALUE}).")
  int taskPartitions;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    CoordinatorConfig base = CoordinatorConfig.defaults(bootstrap);
    CoordinatorConfig config = base.withHost(host).withPort(port).withToken(token)
        .withLimits(maxBodyBytes, base.maxTasks()).validate();
    if (taskPartitions < 1) {
      throw new IllegalArgumentException("--task-partitions: must be at least 1, got " + taskPartitions);
    }
    ClusterConfig clusterConfig = cluster.config();
    try {
      TopicSetup.ensure(bootstrap, taskPartitions);
    } catch (RuntimeException e) {
      throw new CliException("Kafka at " + bootstrap + ": " + e.getMessage());
    }
    Vertx vertx = FleetVertx.start(clusterConfig, "coordinator");
    CoordinatorVerticle verticle = new CoordinatorVerticle(config);
    try {
      vertx.deployVerticle(verticle).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new CliException("coordinator did not start: " + e.getMessage());
    }
    System.out.println("coordinator listening on http://" + host + ":" + verticle.actualPort()
        + (config.hasToken() ? " (token required)" : "") + ", broker " + bootstrap);
    Daemon.runUntilStopped(vertx, "coordinator");
    return 0;
  }
}
