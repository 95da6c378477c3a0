package io.fleetrun.worker;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.Map;

/**
 * Commits the task consumer's offsets: per partition up to the highest record below which every
 * received record is finished ({@link OffsetTracker}), in one commit at most every {@link
 * #DELAY_MS} ms however many tasks finish meanwhile.
 *
 * <p>Threading: the worker verticle's context only.
 */
final class OffsetCommits {
  static final long DELAY_MS = 50;

  private final Vertx vertx;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Handler<Throwable> onError;
  private final OffsetTracker offsets = new OffsetTracker();
  private boolean scheduled;

  OffsetCommits(Vertx vertx, KafkaConsumer<String, byte[]> consumer, Handler<Throwable> onError) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.onError = onError;
  }

  /** A record arrived: no later offset of its partition commits before it finished. */
  void received(TopicPartition tp, long offset) {
    offsets.received(key(tp), offset);
  }

  /** A record's work is durable (its result acknowledged, or it was skipped); commits soon. */
  void finished(TopicPartition tp, long offset) {
    offsets.finished(key(tp), offset);
    if (!scheduled) {
      scheduled = true;
      vertx.setTimer(DELAY_MS, id -> {
        scheduled = false;
        commitNow();
      });
    }
  }

  /** The partition went to another member: what it still had pending is that member's now. */
  void revoked(TopicPartition tp) {
    offsets.revoked(key(tp));
  }

  /** Commits what may be committed now; completes at once when there is nothing. */
  Future<?> commitNow() {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.takeCommits().forEach((p, off) ->
        commits.put(new TopicPartition(p.topic(), p.partition()), new OffsetAndMetadata(off, "")));
    if (commits.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer.commit(commits).onFailure(onError);
  }

  private static OffsetTracker.Partition key(TopicPartition tp) {
    return new OffsetTracker.Partition(tp.getTopic(), tp.getPartition());
  }
}
