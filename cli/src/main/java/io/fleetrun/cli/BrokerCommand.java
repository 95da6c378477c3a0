package io.fleetrun.cli;

import io.fleetrun.common.kafka.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a standalone single-node Kafka broker for other fleetrun processes. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Run a single-node Kafka (KRaft) broker on loopback for other fleetrun processes.",
        "The broker runs in its own JVM and stops when this command stops, however it stops."})
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR",
      defaultValue = "${env:HOME}/.local/share/fleetrun/broker",
      description = "Kafka storage directory, formatted on first use (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port", defaultValue = "9092", description = "Listener port on 127.0.0.1 (0: a free port; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--task-partitions", defaultValue = "32", description = "Partitions of fleetrun.tasks when created (default ${DEFAULT-VALUE}).")
  int taskPartitions;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port: must be 0..65535, got " + port);
    }
    if (taskPartitions < 1) {
      throw new IllegalArgumentException("--task-partitions: must be at least 1, got " + taskPartitions);
    }
    EmbeddedBroker broker;
    try {
      broker = EmbeddedBroker.start(dataDir, port, Duration.ofSeconds(90), taskPartitions);
    } catch (RuntimeException e) {
      throw new CliException("broker did not start: " + e.getMessage());
    }
    System.out.println("broker ready: --bootstrap " + broker.bootstrap() + " (data " + dataDir + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "fleetrun-broker-stop"));
    stopped.await();
    return 0;
  }
}
