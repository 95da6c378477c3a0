package io.fleetrun.common.testing;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.ResultEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads one batch's events from the results topic, from the beginning, in the test thread. */
public final class ResultsReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String batchId;
  private final List<ResultEvent> events = new ArrayList<>();

  public ResultsReader(String bootstrap, String batchId) {
    Map<String, Object> cfg = new java.util.HashMap<>(KafkaClients.consumer(bootstrap, null, "test-results"));
    this.consumer = new KafkaConsumer<>(cfg);
    this.batchId = batchId;
    List<TopicPartition> parts = consumer.partitionsFor(Topics.RESULTS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Polls until {@code done} holds for the events read so far, or fails after {@code timeout}. */
  public List<ResultEvent> until(Predicate<List<ResultEvent>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(events)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for results of " + batchId + "; have " + events.size());
      }
      poll();
    }
    return List.copyOf(events);
  }

  /** Keeps reading for {@code duration} (to prove that nothing arrives), then returns all events. */
  public List<ResultEvent> readFor(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      poll();
    }
    return List.copyOf(events);
  }

  private void poll() {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
      if (batchId.equals(r.key())) {
        events.add(Json.read(r.value(), ResultEvent.class));
      }
    }
  }

  public static long finishedCount(List<ResultEvent> events) {
    return events.stream().filter(e -> e instanceof ResultEvent.TaskFinished).count();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
