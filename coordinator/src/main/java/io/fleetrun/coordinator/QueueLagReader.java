package io.fleetrun.coordinator;

import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.coordinator.FleetReport.QueueLag;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads how far the worker group ({@link Topics#WORKER_GROUP}) is behind on {@link Topics#TASKS}:
 * per partition, the end offset minus the group's committed offset (or minus the log start where
 * the group never committed, as workers then read from the earliest record).
 *
 * <p>Blocking (admin round trips): call it off the event loop, from one thread at a time. Opens
 * its admin client on first use; {@link #close()} releases it.
 */
final class QueueLagReader implements AutoCloseable {
  private final String bootstrap;
  private final long timeoutMs;
  private Admin admin;

  QueueLagReader(String bootstrap, long timeoutMs) {
    this.bootstrap = bootstrap;
    this.timeoutMs = timeoutMs;
  }

  /** One poll; throws when Kafka does not answer within the timeout. */
  QueueLag read(long nowMs) throws InterruptedException, ExecutionException, TimeoutException {
    if (admin == null) {
      Map<String, Object> conf = KafkaClients.admin(bootstrap);
      conf.put("client.id", "fleetrun-coordinator-lag");
      conf.put("default.api.timeout.ms", (int) timeoutMs);
      admin = Admin.create(conf);
    }
    int partitions = await(admin.describeTopics(java.util.List.of(Topics.TASKS)).allTopicNames())
        .get(Topics.TASKS).partitions().size();
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(admin.listConsumerGroupOffsets(Topics.WORKER_GROUP).partitionsToOffsetAndMetadata());
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      TopicPartition tp = new TopicPartition(Topics.TASKS, p);
      latest.put(tp, OffsetSpec.latest());
      if (committed.get(tp) == null) {
        earliest.put(tp, OffsetSpec.earliest());
      }
    }
    Map<TopicPartition, ListOffsetsResultInfo> ends = await(admin.listOffsets(latest).all());
    Map<TopicPartition, ListOffsetsResultInfo> starts =
        earliest.isEmpty() ? Map.of() : await(admin.listOffsets(earliest).all());
    Map<Integer, Long> lag = new TreeMap<>();
    long total = 0;
    for (int p = 0; p < partitions; p++) {
      TopicPartition tp = new TopicPartition(Topics.TASKS, p);
      OffsetAndMetadata c = committed.get(tp);
      long from = c != null ? c.offset() : starts.get(tp).offset();
      long behind = Math.max(0, ends.get(tp).offset() - from);
      lag.put(p, behind);
      total += behind;
    }
    return new QueueLag(total, lag, nowMs, null);
  }

  private <T> T await(KafkaFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
    return f.get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
