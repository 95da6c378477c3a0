package io.fleetrun.common.kafka;

import io.fleetrun.common.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates fleetrun's topics when they are missing; existing topics are left as they are.
 *
 * <p>Several processes may run this at once against one cluster (coordinators, the local mode,
 * tests): a topic another process created meanwhile counts as success. Replication factors are
 * left to the broker's {@code default.replication.factor}, so the same code fits a one-node and
 * a real cluster.
 *
 * <p>Blocking (admin round trips of up to 30 s): never call it on an event loop.
 */
public final class TopicSetup {
  /** Partitions of {@link Topics#CONTROL}: a handful of cancel records, read by every worker. */
  public static final int CONTROL_PARTITIONS = 1;

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_SECONDS = 30;

  private TopicSetup() {}

  /** {@link #ensure(String, int)} with {@link Topics#DEFAULT_TASK_PARTITIONS}. */
  public static void ensure(String bootstrap) {
    ensure(bootstrap, Topics.DEFAULT_TASK_PARTITIONS);
  }

  /**
   * Makes sure {@link Topics#TASKS}, {@link Topics#RESULTS} and {@link Topics#CONTROL} exist.
   *
   * @param taskPartitions partitions of the tasks topic if it has to be created
   * @throws IllegalStateException if the cluster cannot be reached or refuses a topic
   */
  public static void ensure(String bootstrap, int taskPartitions) {
    if (taskPartitions < 1) {
      throw new IllegalArgumentException("taskPartitions must be positive: " + taskPartitions);
    }
    try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
      Set<String> existing = await(admin.listTopics().names(), bootstrap, TIMEOUT_SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic t : topics(taskPartitions)) {
        if (!existing.contains(t.name())) {
          missing.add(t);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
      for (Map.Entry<String, KafkaFuture<Void>> r : results.entrySet()) {
        createdOrExists(r.getKey(), r.getValue(), bootstrap);
      }
    }
  }

  /**
   * The names of fleetrun's topics that do not exist on the cluster yet (empty when all do).
   *
   * @throws IllegalStateException if the cluster cannot be reached within 30 s, saying so
   */
  public static List<String> missing(String bootstrap) {
    return missing(bootstrap, TIMEOUT_SECONDS);
  }

  static List<String> missing(String bootstrap, long timeoutSeconds) {
    Admin admin = Admin.create(KafkaClients.admin(bootstrap));
    try {
      Set<String> existing = await(admin.listTopics().names(), bootstrap, timeoutSeconds);
      return topics(Topics.DEFAULT_TASK_PARTITIONS).stream().map(NewTopic::name)
          .filter(name -> !existing.contains(name)).toList();
    } finally {
      admin.close(Duration.ZERO); // a call still waiting for an unreachable broker is abandoned, not awaited
    }
  }

  /** The topics fleetrun needs, with their settings. */
  static List<NewTopic> topics(int taskPartitions) {
    return List.of(
        new NewTopic(Topics.TASKS, Optional.of(taskPartitions), Optional.empty()),
        new NewTopic(Topics.RESULTS, Optional.of(Topics.DEFAULT_RESULT_PARTITIONS), Optional.empty())
            .configs(Map.of("max.message.bytes", Integer.toString(Topics.MAX_RESULT_BYTES))),
        new NewTopic(Topics.CONTROL, Optional.of(CONTROL_PARTITIONS), Optional.empty())
            .configs(Map.of("cleanup.policy", "compact")));
  }

  private static void createdOrExists(String topic, KafkaFuture<Void> future, String bootstrap) {
    try {
      future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("created topic {} on {}", topic, bootstrap);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap + ": "
            + e.getCause().getMessage(), e.getCause());
      }
      // another process created it between our listing and our request: fine
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topic " + topic + " on " + bootstrap
          + " timed out after " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  private static <T> T await(KafkaFuture<T> future, String bootstrap, long timeoutSeconds) {
    try {
      return future.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw noAnswer(bootstrap, timeoutSeconds, e.getCause());
      }
      throw new IllegalStateException("cannot list topics on " + bootstrap + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw noAnswer(bootstrap, timeoutSeconds, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics on " + bootstrap, e);
    }
  }

  private static IllegalStateException noAnswer(String bootstrap, long timeoutSeconds, Throwable cause) {
    return new IllegalStateException("no answer from Kafka at " + bootstrap + " within " + timeoutSeconds
        + " s (is the broker running, and is that its client address?)", cause);
  }
}
