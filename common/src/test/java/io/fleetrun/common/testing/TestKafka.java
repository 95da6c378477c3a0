package io.fleetrun.common.testing;

import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.EmbeddedBroker;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.kafka.TopicSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one Kafka broker shared by every test in a JVM.
 *
 * <p>Started on the first {@link #bootstrap()} call and stopped when the JVM exits. With a Docker
 * engine it is a Testcontainers {@code apache/kafka:4.1.1}; without one (the usual case here) an
 * {@link EmbeddedBroker} in a temporary data dir, deleted at exit. Either way fleetrun's topics
 * exist ({@link Topics#TASKS} with {@link Topics#DEFAULT_TASK_PARTITIONS} partitions). Tests share
 * the topics, so they tell their records apart by unique batch ids, task ids and consumer groups
 * ({@link #uniqueGroup}), never by expecting a topic to be empty.
 *
 * <p>Thread-safe. Needs the system property {@code fleetrun.kafka.lib} (the parent pom sets it for
 * surefire) when no Docker engine is present.
 */
public final class TestKafka {
  private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);
  private static final String IMAGE = "apache/kafka:4.1.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private static String bootstrap;
  private static EmbeddedBroker embedded;

  private TestKafka() {}

  /** Bootstrap servers of the one broker shared by every test in this JVM, started on first use. */
  public static synchronized String bootstrap() {
    if (bootstrap == null) {
      long t0 = System.nanoTime();
      bootstrap = dockerAvailable() ? startContainer() : startEmbedded();
      LOG.info("test Kafka ready at {} in {} ms", bootstrap, (System.nanoTime() - t0) / 1_000_000);
    }
    return bootstrap;
  }

  /**
   * The embedded broker behind {@link #bootstrap()}, for tests that need its pid or log; null when
   * the broker runs in a container. Starts the broker if needed.
   */
  public static synchronized EmbeddedBroker embeddedBroker() {
    bootstrap();
    return embedded;
  }

  /** A consumer-group id no other test uses: {@code prefix-<random>}. */
  /**
   * A producer on the shared broker with fleetrun's own settings (idempotent, acks=all), as a
   * test that plays a worker or a coordinator needs; the caller closes it.
   */
  public static KafkaProducer<String, byte[]> producer(String clientId) {
    return new KafkaProducer<>(new HashMap<>(KafkaClients.producer(bootstrap(), clientId)));
  }

  public static String uniqueGroup(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static boolean dockerAvailable() {
    // Without any sign of a Docker engine, skip the probe: Testcontainers logs an ERROR with
    // the whole list of strategies it tried, which is noise on every run here.
    if (!dockerHinted()) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) { // any failure to even look for Docker means: no Docker
      return false;
    }
  }

  private static boolean dockerHinted() {
    String home = System.getProperty("user.home", "");
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    return System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
        || Files.exists(Path.of(home, ".testcontainers.properties"))
        || (runtimeDir != null && Files.exists(Path.of(runtimeDir, "docker.sock")));
  }

  private static String startContainer() {
    KafkaContainer kafka = new KafkaContainer(IMAGE)
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
        .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(Topics.MAX_RESULT_BYTES));
    kafka.start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-stop"));
    TopicSetup.ensure(kafka.getBootstrapServers(), Topics.DEFAULT_TASK_PARTITIONS);
    return kafka.getBootstrapServers();
  }

  private static String startEmbedded() {
    Path dir;
    try {
      dir = Files.createTempDirectory("fleetrun-test-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    embedded = EmbeddedBroker.start(dir, 0, READY_TIMEOUT);
    EmbeddedBroker broker = embedded;
    // One hook for both steps: hooks run concurrently, and the dir must outlive the broker.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      deleteTree(dir);
    }, "test-kafka-stop"));
    return broker.bootstrap();
  }

  /** Deletes a directory tree, ignoring what cannot be deleted (used at JVM exit). */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot delete {}", dir, e);
    }
  }
}
