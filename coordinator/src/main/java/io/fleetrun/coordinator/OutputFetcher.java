package io.fleetrun.coordinator;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.coordinator.ApiViews.AttemptView;
import io.fleetrun.coordinator.ApiViews.TaskView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads single records back from Kafka by (partition, offset): a task's spec from {@code
 * fleetrun.tasks} and each attempt's TASK_FINISHED (with the captured output) from {@code
 * fleetrun.results}. This is how output reaches the API without living in coordinator memory.
 *
 * <p>Threading: one plain consumer (no group), used only by a one-thread worker executor, so
 * requests queue and never block the event loop; futures complete on the caller's context.
 */
final class OutputFetcher {
  /** A record that cannot be read (gone by retention, or Kafka unreachable). */
  static final class FetchException extends Exception {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message, null, false, false);
    }
  }

  private final CoordinatorConfig config;
  private final WorkerExecutor executor;
  private KafkaConsumer<String, byte[]> consumer;

  OutputFetcher(Vertx vertx, CoordinatorConfig config) {
    this.config = config;
    this.executor = vertx.createSharedWorkerExecutor(
        "fleetrun-output-fetch-" + UUID.randomUUID(), 1, 3 * config.kafkaTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /**
   * The full view of a task, its spec and every attempt with its result, as JSON (serialized on
   * the fetch thread too: results carry up to megabytes of output).
   */
  Future<Buffer> viewJson(TaskLookup t) {
    return executor.executeBlocking(() -> Buffer.buffer(Json.write(build(t))), true);
  }

  /** Closes the consumer and the executor. */
  Future<Void> close() {
    Future<Void> closed = executor.executeBlocking(() -> {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
      }
      return null;
    }, true);
    return closed.eventually(executor::close);
  }

  private TaskView build(TaskLookup t) {
    TaskSpec spec = null;
    String specError = null;
    if (t.specPartition() < 0) {
      specError = "the task record has not been read yet";
    } else {
      try {
        spec = Json.read(fetch(Topics.TASKS, t.specPartition(), t.specOffset()), TaskSpec.class);
      } catch (FetchException | RuntimeException e) {
        specError = e.getMessage();
      }
    }
    List<AttemptView> attempts = new ArrayList<>();
    for (TaskLookup.AttemptRef a : t.attempts()) {
      TaskResult result = null;
      String resultError = null;
      if (a.resultPartition() >= 0) {
        try {
          byte[] value = fetch(Topics.RESULTS, a.resultPartition(), a.resultOffset());
          result = ((ResultEvent.TaskFinished) Json.read(value, ResultEvent.class)).result();
        } catch (FetchException | RuntimeException e) {
          resultError = e.getMessage();
        }
      }
      attempts.add(new AttemptView(a.attempt(), a.runs(), a.workerId(), a.host(), a.startedAtMs(), result, resultError));
    }
    return new TaskView(t.taskId(), t.batchId(), t.seq(), t.state(), spec, specError, attempts);
  }

  /** The value of the record at (topic, partition, offset). Runs on the executor thread only. */
  byte[] fetch(String topic, int partition, long offset) throws FetchException {
    KafkaConsumer<String, byte[]> c = consumer();
    TopicPartition tp = new TopicPartition(topic, partition);
    c.assign(List.of(tp));
    c.seek(tp, offset);
    long deadline = System.currentTimeMillis() + config.kafkaTimeoutMs();
    while (System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200)).records(tp)) {
        if (r.offset() == offset) {
          return r.value();
        }
        if (r.offset() > offset) {
          // a seek below the log start resets to the earliest record
          throw new FetchException("record " + tp + "@" + offset + " is no longer in Kafka");
        }
      }
    }
    throw new FetchException("timed out reading record " + tp + "@" + offset);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> conf = new HashMap<>(KafkaClients.consumer(config.bootstrap(), null,
          "fleetrun-coordinator-fetch-" + UUID.randomUUID().toString().substring(0, 8)));
      conf.put("default.api.timeout.ms", Long.toString(config.kafkaTimeoutMs()));
      // one record is wanted; Kafka still returns a first batch larger than these limits
      conf.put("max.partition.fetch.bytes", "262144");
      conf.put("fetch.max.bytes", "262144");
      conf.put("max.poll.records", "50");
      // after a read the client keeps a fetch of that partition open at the broker; the next read
      // of another partition waits for it, so keep that wait short (default 500 ms per lookup)
      conf.put("fetch.max.wait.ms", "10");
      consumer = new KafkaConsumer<>(conf);
    }
    return consumer;
  }
}
