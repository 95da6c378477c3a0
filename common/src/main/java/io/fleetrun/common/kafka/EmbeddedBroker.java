package io.fleetrun.common.kafka;

import io.fleetrun.common.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in its own JVM, started from the jars of {@code kafka-dist}.
 *
 * <p>The broker JVM runs {@code io.fleetrun.kafkadist.BrokerMain}; its standard input is a pipe
 * this object holds open, so the broker exits by itself when this JVM dies, even by SIGKILL. Its
 * output goes to {@code dataDir/broker.log} (the previous run's log is kept as {@code
 * broker.log.1}). An exclusive lock on {@code dataDir/broker.lock} keeps a second broker, from
 * this or another JVM, off the same data dir.
 *
 * <p>The broker's jars are found through the system property {@value #LIB_PROPERTY}, else the
 * environment variable {@value #LIB_ENV}.
 *
 * <p>Threading: {@link #start} blocks for seconds (call it off any event loop); {@link #close} is
 * thread-safe, idempotent, and also runs from a JVM shutdown hook.
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** System property naming the directory of the broker's jars ({@code kafka-dist/target/kafka-lib}). */
  public static final String LIB_PROPERTY = "fleetrun.kafka.lib";
  /** Environment variable consulted when {@link #LIB_PROPERTY} is not set. */
  public static final String LIB_ENV = "FLEETRUN_KAFKA_LIB";
  static final String MAIN_CLASS = "io.fleetrun.kafkadist.BrokerMain";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final Path dataDir;
  private final int port;
  private final Process process;
  private final OutputStream parentPipe;
  private final DataDirLock lock;
  private final Thread shutdownHook;
  private boolean closed;

  private EmbeddedBroker(Path dataDir, int port, Process process, DataDirLock lock) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
    this.parentPipe = process.getOutputStream();
    this.lock = lock;
    this.shutdownHook = new Thread(this::close, "fleetrun-broker-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a broker and creates fleetrun's topics with {@link Topics#DEFAULT_TASK_PARTITIONS}. */
  public static EmbeddedBroker start(Path dataDir, int port, Duration readyTimeout) {
    return start(dataDir, port, readyTimeout, Topics.DEFAULT_TASK_PARTITIONS);
  }

  /**
   * Starts a broker on {@code dataDir} (created if missing; existing data is kept), waits until it
   * serves requests, and makes sure fleetrun's topics exist.
   *
   * @param port the client port on 127.0.0.1; 0 picks a free one
   * @param readyTimeout how long to wait for the broker to serve requests
   * @param taskPartitions partitions of {@link Topics#TASKS} if it has to be created
   * @throws IllegalStateException if the lib dir is unknown, the data dir is in use, or the broker
   *     exits or is not ready in time (the message carries the tail of its log)
   */
  public static EmbeddedBroker start(
      Path dataDir, int port, Duration readyTimeout, int taskPartitions) {
    Path lib = libDir();
    DataDirLock lock = DataDirLock.acquire(dataDir.toAbsolutePath().normalize());
    Path dir = lock.dir();
    EmbeddedBroker broker;
    try {
      lock.stopOrphanBroker();
      broker = launch(dir, lib, port, readyTimeout, lock);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
    try {
      TopicSetup.ensure(broker.bootstrap(), taskPartitions);
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /**
   * Starts the broker process and waits until it is ready, retrying on new ports if a free port
   * chosen here was taken before the broker bound it.
   */
  private static EmbeddedBroker launch(
      Path dir, Path lib, int port, Duration readyTimeout, DataDirLock lock) {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      if (port != 0) {
        FreePorts.requireFree(port);
      }
      int clientPort = port != 0 ? port : FreePorts.pick();
      int controllerPort = FreePorts.pickOtherThan(clientPort);
      // Until ready, nothing but the stdin pipe guards the child: if this JVM dies, so does it.
      Process p = spawn(lock, lib, clientPort, controllerPort);
      try {
        BrokerReadiness.await(p, clientPort, logFile(dir), deadline);
        return new EmbeddedBroker(dir, clientPort, p, lock);
      } catch (BrokerReadiness.PortTakenException e) {
        stopQuietly(p);
        if (port != 0 || attempt >= 3) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("a port picked for the broker was taken meanwhile; retrying on other ports");
      } catch (RuntimeException e) {
        stopQuietly(p);
        throw e;
      }
    }
  }

  private static void stopQuietly(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Process spawn(DataDirLock lock, Path lib, int clientPort, int controllerPort) {
    Path dir = lock.dir();
    List<String> cmd = new ArrayList<>(List.of(
        // C1 only: on a small host the C2 compiler's warm-up costs more CPU than its faster code saves
        javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
        "-cp", lib.resolve("*").toString(), MAIN_CLASS,
        "--data-dir", dir.toString(),
        "--port", Integer.toString(clientPort),
        "--controller-port", Integer.toString(controllerPort)));
    try {
      Path log = logFile(dir);
      if (Files.exists(log)) {
        Files.move(log, dir.resolve("broker.log.1"), StandardCopyOption.REPLACE_EXISTING);
      }
      // SIGINT ignored (inherited across exec; a JVM leaves an ignored SIGINT alone): a Ctrl-C at
      // the terminal reaches the whole process group, and this JVM stops the broker after the
      // clients that still talk to it (a broker stopping on the same SIGINT made the workers'
      // LeaveGroup fail, logged as an ERROR). It stays in this JVM's session and process group,
      // where the worker's reapers leave the JVM's own children alone; the stdin pipe and
      // SIGTERM (close) still end it.
      cmd.addAll(0, List.of("/bin/sh", "-c", "trap '' INT; exec \"$@\"", "fleetrun-broker"));
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start(); // stdin stays a pipe: its EOF tells the broker that this JVM is gone
      lock.writePid(p.pid());
      LOG.info("started Kafka broker pid {} on 127.0.0.1:{}, log {}", p.pid(), clientPort, log);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + dir, e);
    }
  }

  /** The broker's own lib dir, from {@value #LIB_PROPERTY} or {@value #LIB_ENV}. */
  static Path libDir() {
    String value = System.getProperty(LIB_PROPERTY);
    String source = "system property " + LIB_PROPERTY;
    if (value == null || value.isBlank()) {
      value = System.getenv(LIB_ENV);
      source = "environment variable " + LIB_ENV;
    }
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("cannot find the Kafka broker's jars: set the system property "
          + LIB_PROPERTY + " or the environment variable " + LIB_ENV
          + " to the kafka-lib directory (built by kafka-dist: kafka-dist/target/kafka-lib)");
    }
    Path dir = Path.of(value);
    if (!Files.isRegularFile(dir.resolve("fleetrun-broker-launcher.jar"))) {
      throw new IllegalStateException(source + " = " + value
          + " is not a kafka-lib directory (no fleetrun-broker-launcher.jar); build kafka-dist");
    }
    return dir.toAbsolutePath();
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  static Path logFile(Path dir) {
    return dir.resolve("broker.log");
  }

  /** Bootstrap servers of this broker, {@code "127.0.0.1:port"}. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Process id of the broker JVM. */
  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The broker's combined stdout and stderr. */
  public Path logFile() {
    return logFile(dataDir);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Removes this broker's own shutdown hook: the caller's shutdown sequence will call {@link
   * #close()} itself, after stopping the clients that still talk to the broker (hooks run in
   * parallel, so the broker's own would pull it from under them). Even without any hook the
   * broker dies with this JVM, through its parent pipe.
   */
  public void leaveShutdownToCaller() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  /**
   * Stops the broker: SIGTERM, up to 15 s for Kafka's clean shutdown, then SIGKILL; releases the
   * data-dir lock. Idempotent and thread-safe; a second caller waits for the first to finish.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Kafka broker pid {} did not stop in {} s; killing it", pid(), STOP_GRACE.toSeconds());
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      parentPipe.close();
    } catch (IOException e) {
      // the broker is gone; nothing reads the pipe any more
    }
    lock.release();
    LOG.info("Kafka broker pid {} stopped", pid());
  }
}
