package io.fleetrun.coordinator;

import io.fleetrun.common.Topics;
import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.coordinator.ApiViews.BatchCancel;
import io.fleetrun.coordinator.ApiViews.BatchSummary;
import io.fleetrun.coordinator.ApiViews.TaskCancel;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Set;

/**
 * The cancel endpoints: {@code DELETE /v1/batches/{id}} and {@code DELETE /v1/tasks/{id}}. A
 * cancel is a {@link ControlMessage} on the compacted {@code fleetrun.control} topic (key {@link
 * ControlMessage#key()}); workers follow that topic and end every targeted task CANCELLED, so the
 * batch ends with one TASK_FINISHED per task as usual. The 202 is sent only once the broker
 * acknowledged the record (idempotent producer, {@code acks=all}); a Kafka failure is a 503.
 *
 * <p>A batch cancel is applied to the {@link Projection} as soon as it is acknowledged (the loader
 * reads the same record back later, which changes nothing), so the next GET shows it. A batch whose
 * cancel is already known is answered without publishing again: the first record is durable, and
 * {@code cancelRequestedAtMs} stays that of the first request. A batch that already ended gets no
 * record either: nothing is left to stop, and a late record would turn a FAILED batch CANCELLED.
 * Task cancels are published every time (they are not kept in the projection), also for a task
 * that already finished: under at-least-once delivery it may still run again.
 *
 * <p>Threading: handlers run on the coordinator's event loop; the producer sends from its worker
 * executor and completes on the same context.
 */
final class CancelHandler {
  private final Projection projection;
  private final KafkaProducer<String, Object> producer;

  CancelHandler(Projection projection, KafkaProducer<String, Object> producer) {
    this.projection = projection;
    this.producer = producer;
  }

  /** {@code DELETE /v1/batches/{id}}: 404 when unknown, else 202 {@link BatchCancel} once durable. */
  void cancelBatch(RoutingContext ctx) {
    QueryHandlers.allowOnly(ctx, Set.of());
    String id = ctx.pathParam("id");
    BatchSummary batch = projection.batch(id).orElse(null);
    if (batch == null) {
      HttpApi.error(ctx, 404, "no batch " + QueryHandlers.shown(id), null);
      return;
    }
    boolean alreadyDone = batch.finishedAtMs() != null;
    // an ended batch has nothing to stop: no control record, so its state stays what its tasks made it
    if (batch.cancelRequestedAtMs() != null || alreadyDone) {
      HttpApi.json(ctx, 202, new BatchCancel(id, true, alreadyDone));
      return;
    }
    ControlMessage msg = ControlMessage.cancelBatch(id, System.currentTimeMillis());
    publish(msg)
        .onSuccess(offset -> {
          projection.applyControl(msg, offset);
          HttpApi.json(ctx, 202, new BatchCancel(id, true, alreadyDone));
        })
        .onFailure(err -> kafkaFailed(ctx, "batch " + id, err));
  }

  /** {@code DELETE /v1/tasks/{id}}: 404 when unknown, else 202 {@link TaskCancel} once durable. */
  void cancelTask(RoutingContext ctx) {
    QueryHandlers.allowOnly(ctx, Set.of());
    String id = ctx.pathParam("id");
    TaskLookup task = projection.task(id).orElse(null);
    if (task == null) {
      HttpApi.error(ctx, 404, "no task " + QueryHandlers.shown(id), null);
      return;
    }
    boolean alreadyDone = !task.state().equals("QUEUED") && !task.state().equals("RUNNING");
    ControlMessage msg = ControlMessage.cancelTask(task.batchId(), task.taskId(), System.currentTimeMillis());
    publish(msg)
        .onSuccess(offset -> HttpApi.json(ctx, 202, new TaskCancel(task.taskId(), true, alreadyDone)))
        .onFailure(err -> kafkaFailed(ctx, "task " + id, err));
  }

  /** Sends {@code msg} keyed by its target; completes with the record's offset once acknowledged. */
  private Future<Long> publish(ControlMessage msg) {
    return producer.send(KafkaProducerRecord.create(Topics.CONTROL, msg.key(), (Object) msg))
        .map(md -> md.getOffset());
  }

  private static void kafkaFailed(RoutingContext ctx, String what, Throwable err) {
    HttpApi.error(ctx, 503, "Kafka did not take the cancel of " + what + ": " + BatchPublisher.reason(err), null);
  }
}
