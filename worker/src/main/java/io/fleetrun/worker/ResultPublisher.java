package io.fleetrun.worker;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * Writes a worker's task events to {@link Topics#RESULTS}, keyed by batch id so one batch's events
 * stay in order. Every returned future completes once the broker acknowledged the record
 * ({@code acks=all}, idempotent producer). Must be used from the worker verticle's context.
 */
final class ResultPublisher {
  private final KafkaProducer<String, byte[]> producer;
  private final WorkerConfig config;

  ResultPublisher(Vertx vertx, WorkerConfig config) {
    this.config = config;
    this.producer =
        KafkaProducer.create(vertx, KafkaClients.producer(config.bootstrap(), config.workerId() + "-results"));
  }

  Future<Void> started(TaskSpec spec, long startedAtMs) {
    return send(spec.batchId(), new ResultEvent.TaskStarted(
        ResultEvent.VERSION, spec.batchId(), spec.taskId(), spec.seq(), spec.attempt(),
        config.workerId(), config.host(), startedAtMs));
  }

  Future<Void> finished(TaskSpec spec, TaskResult result) {
    return send(spec.batchId(), new ResultEvent.TaskFinished(
        ResultEvent.VERSION, spec.batchId(), spec.taskId(), spec.seq(), spec.attempt(),
        config.workerId(), config.host(), result));
  }

  private Future<Void> send(String key, ResultEvent event) {
    return producer.send(KafkaProducerRecord.create(Topics.RESULTS, key, Json.write(event))).mapEmpty();
  }

  Future<Void> close() {
    return producer.close();
  }
}
