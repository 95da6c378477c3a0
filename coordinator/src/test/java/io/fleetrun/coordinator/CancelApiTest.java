package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DELETE /v1/batches/{id} and /v1/tasks/{id} against a real broker: the control record on
 * fleetrun.control, the batch state once a (hand-made) worker reported every task, and the same
 * state after a restart.
 */
class CancelApiTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static KafkaProducer<String, byte[]> worker;

  @BeforeAll
  static void producer() {
    worker = TestKafka.producer("fake-worker-cancel");
  }

  @AfterAll
  static void close() {
    if (worker != null) {
      worker.close(Duration.ofSeconds(5));
    }
  }

  private static String batchJson(String prefix, int tasks) {
    StringBuilder b = new StringBuilder("{\"name\":\"" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8)
        + "\",\"tasks\":[");
    for (int i = 1; i <= tasks; i++) {
      b.append(i > 1 ? "," : "").append("{\"cmd\":\"sleep ").append(i).append("\"}");
    }
    return b.append("]}").toString();
  }

  private static void publish(ResultEvent... events) throws Exception {
    for (ResultEvent e : events) {
      worker.send(new ProducerRecord<>(Topics.RESULTS, e.batchId(), Json.write(e))).get(10, TimeUnit.SECONDS);
    }
  }

  private static TaskFinished finished(String batch, int seq, Outcome outcome) {
    TaskResult r = new TaskResult(outcome, outcome == Outcome.SUCCEEDED ? 0 : null, null, null, false, null,
        1_000 + seq, 2_000 + seq, 0, 0, null, 0, null, null);
    return new TaskFinished(1, batch, batch + "." + seq, seq, 1, "worker-c", "host-c", r);
  }

  private static Reply delete(TestCoordinator c, String path) {
    return c.send(c.request(path).DELETE().build());
  }

  /** Every control record with {@code key} up to the end offsets of now, oldest first. */
  static List<ControlMessage> controlRecords(String key) {
    Map<String, Object> conf = new HashMap<>(KafkaClients.consumer(TestKafka.bootstrap(), null, "test-control"));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(conf)) {
      List<TopicPartition> parts = consumer.partitionsFor(Topics.CONTROL).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<ControlMessage> found = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertTrue(System.nanoTime() < deadline, "timed out reading " + Topics.CONTROL);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (key.equals(r.key()) && r.value() != null) {
            found.add(Json.read(r.value(), ControlMessage.class));
          }
        }
      }
      return found;
    }
  }

  @Test
  void unknownBatchesAndTasksAre404AndStrayParametersAre400() {
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      String id = c.submit(batchJson("cancel-404", 1));
      String unknown = "bnope" + UUID.randomUUID().toString().substring(0, 8);
      for (String path : new String[] {"/v1/batches/" + unknown, "/v1/tasks/" + unknown + ".1",
          "/v1/tasks/" + id + ".2", "/v1/tasks/" + id + ".x", "/v1/tasks/garbage"}) {
        Reply r = delete(c, path);
        assertEquals(404, r.status(), path + " " + r.raw());
        assertTrue(r.body().get("error").asText().startsWith("no "), r.raw());
      }
      Reply stray = delete(c, "/v1/batches/" + id + "?force=1");
      assertEquals(400, stray.status(), stray.raw());
      assertEquals("force", stray.body().get("field").asText());
      assertTrue(c.get("/v1/batches/" + id).body().get("cancelRequestedAtMs").isNull());
    }
  }

  @Test
  void cancellingABatchPublishesItsControlRecordAndEndsCancelledAlsoAfterARestart() throws Exception {
    String id;
    Reply before;
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      id = c.submit(batchJson("cancel-batch", 3));
      publish(new TaskStarted(1, id, id + ".1", 1, 1, "worker-c", "host-c", 1_001));
      c.until("/v1/batches/" + id, x -> x.body().get("state").asText().equals("RUNNING"), WAIT);
      long t0 = System.currentTimeMillis();
      Reply r = delete(c, "/v1/batches/" + id);
      assertEquals(202, r.status(), r.raw());
      assertEquals(Json.MAPPER.readTree("{\"batchId\":\"" + id + "\",\"cancelRequested\":true,\"alreadyDone\":false}"),
          r.body());

      List<ControlMessage> records = controlRecords(id);
      assertEquals(1, records.size(), records.toString());
      ControlMessage m = records.get(0);
      assertEquals(ControlMessage.Kind.CANCEL, m.kind());
      assertEquals(id, m.batchId());
      assertNull(m.taskId(), "a batch-level cancel");
      assertTrue(m.requestedAtMs() >= t0 && m.requestedAtMs() <= System.currentTimeMillis(), m.toString());

      JsonNode running = c.get("/v1/batches/" + id).body();
      assertEquals("RUNNING", running.get("state").asText(), "the task still runs");
      assertEquals(m.requestedAtMs(), running.get("cancelRequestedAtMs").asLong());
      Reply again = delete(c, "/v1/batches/" + id);
      assertEquals(202, again.status(), again.raw());
      assertEquals(1, controlRecords(id).size(), "a known cancel is not published again");

      // what the workers report: the running task stopped, the queued ones never spawned
      publish(finished(id, 1, Outcome.CANCELLED), finished(id, 2, Outcome.CANCELLED),
          finished(id, 3, Outcome.CANCELLED));
      before = c.until("/v1/batches/" + id, x -> x.body().get("state").asText().equals("CANCELLED"), WAIT);
      assertEquals(3, before.body().get("counts").get("CANCELLED").asInt());
      assertEquals(m.requestedAtMs(), before.body().get("cancelRequestedAtMs").asLong());
      assertTrue(delete(c, "/v1/batches/" + id).body().get("alreadyDone").asBoolean());
    }
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      assertEquals(before.body(), c.get("/v1/batches/" + id).body(), "the control topic is read at start");
    }
  }

  @Test
  void cancellingATaskPublishesItsKeyAndLeavesTheBatchRuleAlone() throws Exception {
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      String id = c.submit(batchJson("cancel-task", 2));
      Reply r = delete(c, "/v1/tasks/" + id + ".2");
      assertEquals(202, r.status(), r.raw());
      assertEquals(Json.MAPPER.readTree("{\"taskId\":\"" + id + ".2\",\"cancelRequested\":true,\"alreadyDone\":false}"),
          r.body());
      List<ControlMessage> records = controlRecords(id + ".2");
      assertEquals(1, records.size(), records.toString());
      assertEquals(id, records.get(0).batchId());
      assertEquals(id + ".2", records.get(0).taskId());
      assertEquals(id + ".2", records.get(0).key());
      assertTrue(controlRecords(id).isEmpty(), "nothing keyed by the batch");

      publish(finished(id, 1, Outcome.SUCCEEDED), finished(id, 2, Outcome.CANCELLED));
      Reply done = c.until("/v1/batches/" + id, x -> x.body().get("done").asInt() == 2, WAIT);
      assertEquals("FAILED", done.body().get("state").asText(), "a cancelled task is a non-success");
      assertTrue(done.body().get("cancelRequestedAtMs").isNull());
      Reply late = delete(c, "/v1/tasks/" + id + ".2");
      assertEquals(202, late.status(), late.raw());
      assertTrue(late.body().get("alreadyDone").asBoolean());
      assertFalse(c.get("/v1/batches/" + id).body().get("state").asText().equals("CANCELLED"));

      // a cancel of the whole batch after its end stops nothing and rewrites nothing
      Reply lateBatch = delete(c, "/v1/batches/" + id);
      assertEquals(202, lateBatch.status(), lateBatch.raw());
      assertTrue(lateBatch.body().get("alreadyDone").asBoolean(), lateBatch.raw());
      JsonNode after = c.get("/v1/batches/" + id).body();
      assertEquals("FAILED", after.get("state").asText(), after.toString());
      assertTrue(after.get("cancelRequestedAtMs").isNull(), after.toString());
      assertTrue(controlRecords(id).isEmpty(), "no control record for an ended batch");
    }
  }
}
