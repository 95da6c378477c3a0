package io.fleetrun.cli;

import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.kafka.EmbeddedBroker;
import io.fleetrun.loadtest.BatchBody;
import io.fleetrun.loadtest.CompletionFeed;
import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.ResultsFeed;
import io.fleetrun.loadtest.TaskRequest;
import io.fleetrun.loadtest.probe.ProcProbe;
import io.fleetrun.loadtest.probe.TelemetryProbe;
import io.fleetrun.loadtest.probe.WorkerProbe;
import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.WorkerVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load test's own fleet on this machine: a Kafka broker (its own JVM, or a given one), a
 * coordinator in a JVM of its own, and one worker verticle in this JVM, redeployed with the cap
 * of each step. The worker shares its JVM only with the driver (a results reader, a sampler, the
 * HTTP client), so the worker's figures, read from its telemetry or /proc/self, are those of the
 * worker plus that small, constant driver.
 *
 * <p>Threading: {@link #prepare} and {@link #submit} block (call them from the driver thread);
 * {@link #close} is idempotent and also runs on Ctrl-C from a shutdown hook.
 */
final class EmbeddedFleet implements Fleet {
  static final String WORKER_PREFIX = "loadtest-";
  private static final long TELEMETRY_MS = 250;

  private final EmbeddedBroker broker;
  private final Path tempDir;
  private final String bootstrap;
  private final CoordinatorProcess coordinator;
  private final CoordinatorClient client;
  private final Vertx vertx = VertxRuntime.create();
  private final int threshold;
  private final Thread hook = new Thread(this::close, "fleetrun-loadtest-stop");
  private ResultsFeed feed;
  private TelemetryProbe telemetry;
  private String workerDeployment;
  private int cap;
  private volatile boolean closed;

  private EmbeddedFleet(EmbeddedBroker broker, Path tempDir, String bootstrap, int threshold) {
    this.broker = broker;
    this.tempDir = tempDir;
    this.bootstrap = bootstrap;
    this.threshold = threshold;
    if (broker != null) {
      broker.leaveShutdownToCaller(); // this fleet's hook stops it last
    }
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      coordinator = CoordinatorProcess.start(bootstrap, tempDir.resolve("coordinator.log"), Duration.ofSeconds(120));
      client = new CoordinatorClient(coordinator.url(), null);
      feed = new ResultsFeed(bootstrap);
      telemetry = new TelemetryProbe(vertx);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the fleet; blocks for seconds. No worker runs until the first {@link #prepare}.
   *
   * @param bootstrap a running broker to use, or null to start one in a temporary directory
   * @param threshold the worker's threshold: every cap of the run must be below it
   */
  static EmbeddedFleet start(String bootstrap, int threshold) {
    Path dir;
    try {
      dir = Files.createTempDirectory("fleetrun-loadtest-");
    } catch (IOException e) {
      throw new CliException("cannot create a temporary directory: " + e.getMessage());
    }
    EmbeddedBroker broker = null;
    try {
      if (bootstrap == null) {
        broker = EmbeddedBroker.start(dir.resolve("kafka"), 0, Duration.ofSeconds(90));
      }
      return new EmbeddedFleet(broker, dir, broker != null ? broker.bootstrap() : bootstrap, threshold);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      LocalCluster.deleteRecursively(dir);
      throw e instanceof CliException ? e : new CliException("load test fleet did not start: " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "embedded: Kafka broker " + (broker != null ? "pid " + broker.pid() : bootstrap + " (given)")
        + ", coordinator JVM pid " + coordinator.pid() + " at " + coordinator.url() + ", one worker in the load test's"
        + " JVM (pid " + ProcessHandle.current().pid() + ", shared only with the driver), threshold " + threshold;
  }

  @Override
  public String prepare(int concurrency) {
    if (concurrency != cap) {
      deployWorker(concurrency);
    }
    return "worker cap " + concurrency + " (threshold " + threshold + ")";
  }

  private void deployWorker(int newCap) {
    try {
      if (workerDeployment != null) {
        vertx.undeploy(workerDeployment).await(60, TimeUnit.SECONDS);
        workerDeployment = null;
      }
      WorkerConfig wc = new WorkerConfig(bootstrap, WORKER_PREFIX + "c" + newCap, null, newCap, threshold, 0, -1, null, 0,
          TELEMETRY_MS, null, WorkerConfig.NO_METRICS).validate();
      telemetry.follow(wc.workerId());
      workerDeployment = vertx.deployVerticle(new WorkerVerticle(wc)).await(90, TimeUnit.SECONDS);
      cap = newCap;
      if (!telemetry.awaitFirst(5_000)) {
        System.err.println("fleetrun: no telemetry from worker " + wc.workerId() + " within 5 s; its figures stay empty");
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new CliException("worker with cap " + newCap + " did not start: " + e.getMessage());
    }
  }

  @Override
  public String submit(String name, List<TaskRequest> tasks) {
    return client.submit(BatchBody.json(name, tasks), true, Map.of()).path("batchId").asText();
  }

  @Override
  public CompletionFeed completions() {
    return feed;
  }

  /** The worker's own telemetry (what the steps report shows). */
  @Override
  public WorkerProbe probe() {
    return telemetry;
  }

  /**
   * /proc of this JVM with the heap after a full GC: exact at the moment of the call, which the
   * soak's quiet points need (telemetry can be an interval old).
   */
  WorkerProbe procProbe() {
    return new ProcProbe(ProcessHandle.current().pid(), "this JVM: worker + driver");
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
    if (telemetry != null) {
      telemetry.close();
    }
    try {
      vertx.close().await(60, TimeUnit.SECONDS); // the worker stops its children first
    } catch (Exception e) {
      System.err.println("fleetrun: stopping the worker: " + e.getMessage());
    }
    if (feed != null) {
      feed.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    if (broker != null) {
      broker.close();
    }
    LocalCluster.deleteRecursively(tempDir);
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
    }
  }
}
