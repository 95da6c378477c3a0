package io.fleetrun.coordinator;

import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link Projection} from Kafka: one consumer without a group assigned every partition
 * of {@code fleetrun.tasks}, {@code fleetrun.results} and {@code fleetrun.control}, read from the
 * beginning. {@link #start}
 * completes once every partition's position reached the end offset taken at start (the
 * projection then holds everything published before); the loader keeps consuming live after.
 *
 * <p>Threading: the consumer lives on its own thread, which also decodes the records (result
 * records carry up to megabytes of output; that work stays off the event loop) into small
 * updates; updates are applied on the coordinator's context, in record order, at most {@link
 * #MAX_PENDING} polls ahead of the event loop. Partitions added to the topics after start are not
 * followed.
 */
final class ProjectionLoader {
  static final int MAX_PENDING = 8;
  private static final Logger log = LoggerFactory.getLogger(ProjectionLoader.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final CoordinatorConfig config;
  private final Context context;
  private final Projection projection;
  private final Promise<Void> caughtUp = Promise.promise();
  private final Semaphore pending = new Semaphore(MAX_PENDING);
  private final RecordDecoder decoder = new RecordDecoder();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean isCaughtUp;
  private volatile String failure;
  private volatile KafkaConsumer<String, byte[]> consumer;

  ProjectionLoader(CoordinatorConfig config, Context context, Projection projection) {
    this.config = config;
    this.context = context;
    this.projection = projection;
    this.thread = new Thread(this::run, "fleetrun-projection-loader");
    thread.setDaemon(true);
  }

  /** Starts reading; the future completes on the context once caught up, or fails. */
  Future<Void> start() {
    thread.start();
    return caughtUp.future();
  }

  boolean caughtUp() {
    return isCaughtUp;
  }

  /** Why the loader stopped on its own, or null while it runs. */
  String failure() {
    return failure;
  }

  /** Stops the consumer thread and waits for it (blocking: call off the event loop). */
  void stop() throws InterruptedException {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }

  private void run() {
    Map<String, String> conf = KafkaClients.consumer(config.bootstrap(), null,
        "fleetrun-coordinator-projection-" + UUID.randomUUID().toString().substring(0, 8));
    conf.put("default.api.timeout.ms", Long.toString(config.kafkaTimeoutMs()));
    conf.put("max.poll.records", "5000");
    KafkaConsumer<String, byte[]> c = null;
    try {
      c = new KafkaConsumer<>(new HashMap<String, Object>(conf));
      consumer = c;
      List<TopicPartition> parts = partitions(c);
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      Set<TopicPartition> behind = new HashSet<>(parts);
      log.info("projection: reading {} partitions up to offsets taken at start", parts.size());
      checkCaughtUp(c, behind, end);
      while (running) {
        ConsumerRecords<String, byte[]> records = c.poll(POLL);
        if (!records.isEmpty()) {
          deliver(decoder.decode(records));
        }
        if (!behind.isEmpty()) {
          checkCaughtUp(c, behind, end);
        }
      }
    } catch (WakeupException | InterruptException e) {
      if (running) {
        fail(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      closeQuietly(c);
      if (!isCaughtUp) {
        context.runOnContext(v -> caughtUp.tryFail(failure != null ? failure : "projection loader stopped"));
      }
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    List<TopicPartition> parts = new ArrayList<>();
    long deadline = System.currentTimeMillis() + config.kafkaTimeoutMs();
    for (String topic : List.of(Topics.TASKS, Topics.RESULTS, Topics.CONTROL)) {
      List<PartitionInfo> infos = c.partitionsFor(topic);
      // a topic created a moment ago may not be in the metadata yet
      while ((infos == null || infos.isEmpty()) && running && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        infos = c.partitionsFor(topic);
      }
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist on " + config.bootstrap());
      }
      infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
    }
    return parts;
  }

  private void checkCaughtUp(KafkaConsumer<String, byte[]> c, Set<TopicPartition> behind,
      Map<TopicPartition, Long> end) {
    behind.removeIf(tp -> c.position(tp) >= end.getOrDefault(tp, 0L));
    if (behind.isEmpty()) {
      // queued behind every update delivered so far, so the projection holds them all
      context.runOnContext(v -> {
        isCaughtUp = true;
        log.info("projection: caught up");
        caughtUp.tryComplete();
      });
    }
  }

  private void deliver(List<Consumer<Projection>> updates) throws InterruptedException {
    while (!pending.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      if (!running) {
        return;
      }
    }
    context.runOnContext(v -> {
      try {
        for (Consumer<Projection> u : updates) {
          u.accept(projection);
        }
      } finally {
        pending.release();
      }
    });
  }

  private static void closeQuietly(KafkaConsumer<String, byte[]> c) {
    if (c == null) {
      return;
    }
    try {
      c.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.debug("projection: closing the consumer: {}", e.toString());
    }
  }

  private void fail(Exception e) {
    failure = "projection loader stopped: " + e;
    log.error("projection: {}", failure);
  }
}
