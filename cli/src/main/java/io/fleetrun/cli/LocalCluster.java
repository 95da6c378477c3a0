package io.fleetrun.cli;

import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.kafka.EmbeddedBroker;
import io.fleetrun.coordinator.CoordinatorConfig;
import io.fleetrun.coordinator.CoordinatorVerticle;
import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole fleetrun on one machine: an embedded broker (its own JVM), and in this JVM one Vert.x
 * with the coordinator and N workers. Closing it stops the workers (and their children), the
 * coordinator and the broker, in that order, then removes a temporary data dir; a shutdown hook
 * does the same on Ctrl-C or SIGTERM.
 */
final class LocalCluster implements AutoCloseable {
  private final EmbeddedBroker broker;
  private final Vertx vertx;
  private final CoordinatorVerticle coordinator;
  private final int cap;
  private final Path tempDir;
  private final Thread hook;
  private volatile boolean closed;

  private LocalCluster(EmbeddedBroker broker, Vertx vertx, CoordinatorVerticle coordinator, int cap, Path tempDir) {
    this.broker = broker;
    this.vertx = vertx;
    this.coordinator = coordinator;
    this.cap = cap;
    this.tempDir = tempDir;
    this.hook = new Thread(this::close, "fleetrun-local-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    broker.leaveShutdownToCaller(); // this cluster's hook stops the broker last
  }

  /**
   * Starts everything; blocks for seconds.
   *
   * @param dataDir Kafka data to keep, or null for a temporary directory removed at close
   * @param cap children per worker, already checked against {@code threshold}
   */
  static LocalCluster start(Path dataDir, int port, int workers, int cap, int threshold) {
    Path tempDir = null;
    EmbeddedBroker broker;
    try {
      tempDir = dataDir == null ? Files.createTempDirectory("fleetrun-local-") : null;
      broker = EmbeddedBroker.start(dataDir != null ? dataDir : tempDir, 0, Duration.ofSeconds(90));
    } catch (IOException | RuntimeException e) {
      if (tempDir != null) {
        deleteRecursively(tempDir);
      }
      throw new CliException("broker did not start: " + e.getMessage());
    }
    Vertx vertx = VertxRuntime.create();
    try {
      WorkerConfig wc = new WorkerConfig(broker.bootstrap(), null, null, cap, threshold, 0, -1, null, 0).validate();
      CoordinatorVerticle coordinator = new CoordinatorVerticle(CoordinatorConfig.local(broker.bootstrap(), port));
      vertx.deployVerticle(coordinator).await(90, TimeUnit.SECONDS);
      for (int i = 1; i <= workers; i++) {
        vertx.deployVerticle(new WorkerVerticle(wc.withWorkerId("local-" + i))).await(90, TimeUnit.SECONDS);
      }
      return new LocalCluster(broker, vertx, coordinator, wc.maxChildren(), tempDir);
    } catch (Exception e) {
      vertx.close();
      broker.close();
      if (tempDir != null) {
        deleteRecursively(tempDir);
      }
      throw e instanceof IllegalArgumentException iae ? iae
          : new CliException("local cluster did not start: " + e.getMessage());
    }
  }

  String coordinatorUrl() {
    return "http://127.0.0.1:" + coordinator.actualPort();
  }

  String bootstrap() {
    return broker.bootstrap();
  }

  int cap() {
    return cap;
  }

  /** True once closing began (for example from Ctrl-C). */
  boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() == hook) {
      System.out.println();
      System.err.println("fleetrun: interrupted; stopping the workers' children, the coordinator and the broker");
    }
    try {
      vertx.close().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("fleetrun: stopping verticles: " + e.getMessage());
    }
    broker.close();
    if (tempDir != null) {
      deleteRecursively(tempDir);
    }
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running or ran
      }
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("fleetrun: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
