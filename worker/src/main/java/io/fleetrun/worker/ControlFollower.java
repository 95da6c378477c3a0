package io.fleetrun.worker;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.ControlMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@link Topics#CONTROL} from its beginning, without a group, on a thread of its own, and
 * hands every message to the worker's context. {@link #start()} completes once everything that
 * was on the topic at start was handed over, so a worker that starts after a cancel still honours
 * it before it takes a task. Undecodable records are logged and skipped.
 */
final class ControlFollower {
  private static final Logger LOG = LoggerFactory.getLogger(ControlFollower.class);
  /** Only how often a stop is noticed without a wakeup; records end a poll as they arrive. */
  private static final Duration POLL = Duration.ofMillis(500);

  private final Map<String, Object> config;
  private final Context context;
  private final Consumer<ControlMessage> handler;
  private final Promise<Void> caughtUp = Promise.promise();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  /** @param handler runs on {@code context}, in topic order per partition */
  ControlFollower(String bootstrap, String clientId, Context context, Consumer<ControlMessage> handler) {
    // Kafka's default fetch.max.wait.ms (500) stays: the broker answers a waiting fetch as soon
    // as a record lands, so a cancel is not delayed by it; a shorter wait only made an idle worker
    // ask 20 times a second
    this.config = new HashMap<>(KafkaClients.consumer(bootstrap, null, clientId));
    this.context = context;
    this.handler = handler;
    this.thread = new Thread(this::run, "fleetrun-control-follower");
    thread.setDaemon(true);
  }

  Future<Void> start() {
    thread.start();
    return caughtUp.future();
  }

  /** Stops the thread and waits for it; blocking, so never on an event loop. */
  void stop() throws InterruptedException {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(10_000);
  }

  private void run() {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
      consumer = c;
      List<TopicPartition> parts = c.partitionsFor(Topics.CONTROL).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      boolean behind = true;
      while (running) {
        // checked before the first poll too: with nothing to read the worker starts at once
        if (behind && parts.stream().allMatch(p -> c.position(p) >= end.get(p))) {
          behind = false;
          context.runOnContext(v -> caughtUp.tryComplete());
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
          deliver(r);
        }
      }
    } catch (WakeupException e) {
      // stop() asked
    } catch (RuntimeException e) {
      LOG.error("control topic follower stopped: {}", e.toString());
      context.runOnContext(v -> caughtUp.tryFail(e));
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return; // a tombstone
    }
    try {
      ControlMessage m = Json.read(r.value(), ControlMessage.class);
      context.runOnContext(v -> handler.accept(m));
    } catch (RuntimeException e) {
      LOG.warn("skipping unreadable control record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
    }
  }
}
