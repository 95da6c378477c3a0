package io.fleetrun.loadtest;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Finished tasks read straight from {@link Topics#RESULTS}: exact per-task times without paging
 * the API, and no poll delay. Reads every partition from the end as it was at construction (no
 * consumer group, nothing committed), on a thread of its own.
 */
public final class ResultsFeed implements CompletionFeed {
  private final KafkaConsumer<String, byte[]> consumer;
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  /** Blocks until the end offsets are known, so no later result is missed. */
  public ResultsFeed(String bootstrap) {
    Map<String, Object> cfg = new HashMap<>(KafkaClients.consumer(bootstrap, null, "fleetrun-loadtest"));
    cfg.put("fetch.max.wait.ms", "50");
    consumer = new KafkaConsumer<>(cfg);
    try {
      List<TopicPartition> parts = consumer.partitionsFor(Topics.RESULTS, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    } catch (RuntimeException e) {
      consumer.close(Duration.ofSeconds(5));
      throw new IllegalStateException("cannot read " + Topics.RESULTS + " at " + bootstrap + ": " + e.getMessage(), e);
    }
    reader = new Thread(this::read, "loadtest-results");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Completion c = decode(r.value());
          if (c != null) {
            queue.add(c);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = new IllegalStateException("reading " + Topics.RESULTS + " failed: " + e.getMessage(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The completion in a results record, or null for any other event or an unreadable record. */
  static Completion decode(byte[] value) {
    ResultEvent e;
    try {
      e = Json.read(value, ResultEvent.class);
    } catch (RuntimeException ex) {
      return null; // not ours to judge: the coordinator logs undecodable records
    }
    if (!(e instanceof ResultEvent.TaskFinished f)) {
      return null;
    }
    TaskResult r = f.result();
    return new Completion(f.batchId(), f.seq(), r.outcome(), r.startedAtMs(), r.endedAtMs(),
        r.userCpuMs() + r.sysCpuMs(), r.stdout().totalBytes() + r.stderr().totalBytes());
  }

  @Override
  public List<Completion> poll(long maxWaitMs) throws InterruptedException {
    if (failure != null) {
      throw failure;
    }
    List<Completion> out = new ArrayList<>();
    Completion first = maxWaitMs > 0 ? queue.poll(maxWaitMs, TimeUnit.MILLISECONDS) : queue.poll();
    if (first != null) {
      out.add(first);
      queue.drainTo(out);
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
