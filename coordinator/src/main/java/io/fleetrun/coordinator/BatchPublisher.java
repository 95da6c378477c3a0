package io.fleetrun.coordinator;

import io.fleetrun.common.Topics;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.coordinator.ApiViews.Accepted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a batch: every task record to {@code fleetrun.tasks} (key task id), then, only once
 * the broker acknowledged all of them, {@code BATCH_ACCEPTED} to {@code fleetrun.results} (key
 * batch id).
 *
 * <p>Tasks go out in chunks of {@link #CHUNK}: one worker-thread call hands a chunk to the Kafka
 * producer (serializing there, off the event loop, and stopping at the first refused record of
 * the batch), with at most two chunks in flight, so a big batch never holds more than two chunks
 * of records in memory or in the producer. Acknowledged locations go into the {@link Projection},
 * so the batch is readable right after the 202, before the loader reads the records back.
 *
 * <p>If Kafka fails midway, some task records may be published without a BATCH_ACCEPTED: the
 * batch then shows as INCOMPLETE (workers may still run those tasks). Threading: {@link #publish}
 * is called on the coordinator's context and completes there.
 */
final class BatchPublisher {
  static final int CHUNK = 2000;

  private final Vertx vertx;
  private final Context context;
  private final KafkaProducer<String, Object> producer;
  private final CoordinatorConfig config;
  private final Projection projection;

  BatchPublisher(Vertx vertx, Context context, KafkaProducer<String, Object> producer,
      CoordinatorConfig config, Projection projection) {
    this.vertx = vertx;
    this.context = context;
    this.producer = producer;
    this.config = config;
    this.projection = projection;
  }

  /** Fails with a 503 {@link ApiException} when Kafka does not take the whole batch. */
  Future<Accepted> publish(BatchRequest req) {
    String batchId = BatchIds.next();
    long now = System.currentTimeMillis();
    return sendFrom(batchId, req, now, 1, Future.succeededFuture(), new AtomicReference<>())
        .compose(v -> {
          var accepted = new ResultEvent.BatchAccepted(
              ResultEvent.VERSION, batchId, req.name(), req.size(), System.currentTimeMillis());
          return producer.send(KafkaProducerRecord.create(Topics.RESULTS, batchId, (Object) accepted))
              .map(md -> {
                projection.applyAccepted(accepted);
                return new Accepted(batchId, req.size());
              });
        })
        .recover(err -> Future.failedFuture(new ApiException(503, "Kafka did not take batch "
            + batchId + ": " + reason(err) + " (tasks already published will show as INCOMPLETE)", null)));
  }

  /**
   * Sends seqs from {@code fromSeq} on, a chunk at a time. At most two chunks are in flight: a
   * chunk is handed to the producer while the previous one is being acknowledged, and the one
   * after waits for that acknowledgement.
   */
  private Future<Void> sendFrom(String batchId, BatchRequest req, long now, int fromSeq,
      Future<Void> previousAcked, AtomicReference<Throwable> error) {
    if (fromSeq > req.size()) {
      return previousAcked;
    }
    int toSeq = Math.min(req.size(), fromSeq + CHUNK - 1);
    ChunkAcks acks = new ChunkAcks(toSeq - fromSeq + 1, error);
    Future<Void> handedOver = handOver(batchId, req, now, fromSeq, toSeq, acks);
    Future<Void> acked = acks.promise.future().map(v -> {
      for (int i = 0; i < acks.display.length; i++) {
        projection.applyTaskRecord(batchId, fromSeq + i, 1, acks.display[i], acks.partition[i], acks.offset[i]);
      }
      return null;
    });
    return handedOver
        .compose(v -> previousAcked)
        .compose(v -> sendFrom(batchId, req, now, toSeq + 1, acked, error));
  }

  /**
   * Builds and sends seqs fromSeq..toSeq on a worker thread (serialization happens there), stopping
   * at the first failure of this batch; completes once all are handed to the producer.
   */
  private Future<Void> handOver(String batchId, BatchRequest req, long now, int fromSeq, int toSeq,
      ChunkAcks acks) {
    Producer<String, Object> raw = producer.unwrap();
    int n = toSeq - fromSeq + 1;
    return vertx.executeBlocking(() -> {
      int sent = 0;
      try {
        for (int seq = fromSeq; seq <= toSeq && acks.error.get() == null; seq++) {
          TaskSpec spec = req.spec(batchId, seq, now, config);
          int i = seq - fromSeq;
          acks.display[i] = spec.display();
          raw.send(new ProducerRecord<>(Topics.TASKS, spec.taskId(), spec), (md, err) -> {
            if (err == null) {
              acks.partition[i] = md.partition();
              acks.offset[i] = md.offset();
            }
            acks.done(err);
          });
          sent++;
        }
      } catch (RuntimeException e) {
        acks.error.compareAndSet(null, e);
      }
      acks.unsent(n - sent);
      return null;
    }, false);
  }

  /** Counts acknowledgements of one chunk from Kafka's I/O thread; completes on the context. */
  private final class ChunkAcks {
    final AtomicInteger pending;
    /** Shared by every chunk of one batch: the first failure stops the rest. */
    final AtomicReference<Throwable> error;
    final Promise<Void> promise = Promise.promise();
    final String[] display;
    final int[] partition;
    final long[] offset;

    ChunkAcks(int n, AtomicReference<Throwable> error) {
      this.error = error;
      pending = new AtomicInteger(n);
      display = new String[n];
      partition = new int[n];
      offset = new long[n];
    }

    void done(Exception err) {
      if (err != null) {
        error.compareAndSet(null, err);
      }
      if (pending.decrementAndGet() == 0) {
        finish();
      }
    }

    void unsent(int count) {
      if (count > 0 && pending.addAndGet(-count) == 0) {
        finish();
      }
    }

    private void finish() {
      Throwable err = error.get();
      context.runOnContext(v -> {
        if (err == null) {
          promise.tryComplete();
        } else {
          promise.tryFail(err);
        }
      });
    }
  }

  /** The innermost useful message of a Kafka failure, for a 503 body. */
  static String reason(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
