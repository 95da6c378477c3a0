package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The projection fed from a real broker: events published by hand as a worker would, read back
 * through the HTTP API; output fetched by offset; the same state after a restart.
 */
class ProjectionKafkaTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static KafkaProducer<String, byte[]> worker;

  @BeforeAll
  static void producer() {
    worker = TestKafka.producer("fake-worker");
  }

  @AfterAll
  static void close() {
    if (worker != null) {
      worker.close(Duration.ofSeconds(5));
    }
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Publishes result events keyed by batch id, as a worker does, and waits for the acks. */
  private static void publish(ResultEvent... events) throws Exception {
    for (ResultEvent e : events) {
      worker.send(new ProducerRecord<>(Topics.RESULTS, e.batchId(), Json.write(e))).get(10, TimeUnit.SECONDS);
    }
  }

  private static TaskStarted started(String batch, int seq, int attempt) {
    return new TaskStarted(1, batch, batch + "." + seq, seq, attempt, "worker-a", "host-a", 1_000 + seq);
  }

  private static TaskFinished finished(String batch, int seq, int attempt, Outcome outcome, Integer exit, String out) {
    StreamCapture stdout = new StreamCapture(out, "", out.length(), out.length(), false, false);
    StreamCapture stderr = new StreamCapture("warn\n", "", 5, 5, false, false);
    TaskResult r = new TaskResult(outcome, exit, null, outcome == Outcome.TIMED_OUT ? "timeout" : null, false,
        null, 1_000 + seq, 2_000 + seq, 3, 4, 5_000_000L, 0, stdout, stderr);
    return new TaskFinished(1, batch, batch + "." + seq, seq, attempt, "worker-a", "host-a", r);
  }

  private static String countsOf(Reply r) {
    JsonNode c = r.body().get("counts");
    return "Q" + c.get("QUEUED").asInt() + " R" + c.get("RUNNING").asInt() + " S" + c.get("SUCCEEDED").asInt()
        + " F" + c.get("FAILED").asInt() + " T" + c.get("TIMED_OUT").asInt();
  }

  @Test
  void workerEventsFoldIntoCountsDedupedAndOutOfOrderThenOutputIsFetchedByOffset() throws Exception {
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      String id = c.submit("{\"name\":\"" + name("fold") + "\",\"tasks\":[{\"cmd\":\"echo one\"},"
          + "{\"argv\":[\"echo\",\"two\"]},{\"cmd\":\"sleep 9\"},{\"cmd\":\"false\"}]}");
      publish(started(id, 1, 1), finished(id, 1, 1, Outcome.SUCCEEDED, 0, "one\n"),
          // duplicates, as a re-sent record would be
          started(id, 1, 1), finished(id, 1, 1, Outcome.FAILED, 1, "dup\n"),
          // out of order: FINISHED before STARTED
          finished(id, 2, 1, Outcome.SUCCEEDED, 0, "two\n"), started(id, 2, 1),
          started(id, 3, 1));
      Reply r = c.until("/v1/batches/" + id, x -> countsOf(x).equals("Q1 R1 S2 F0 T0"), WAIT);
      assertEquals("RUNNING", r.body().get("state").asText());
      assertEquals(2, r.body().get("done").asInt());
      assertEquals(1001, r.body().get("firstStartedAtMs").asLong());
      assertTrue(r.body().get("finishedAtMs").isNull());

      publish(finished(id, 3, 1, Outcome.TIMED_OUT, null, "partial"), finished(id, 4, 1, Outcome.FAILED, 1, ""));
      r = c.until("/v1/batches/" + id, x -> x.body().get("done").asInt() == 4, WAIT);
      assertEquals("FAILED", r.body().get("state").asText());
      assertEquals("Q0 R0 S2 F1 T1", countsOf(r));
      assertEquals(2004, r.body().get("finishedAtMs").asLong());

      JsonNode failed = c.get("/v1/batches/" + id + "/tasks?state=FAILED").body();
      assertEquals(1, failed.get("total").asInt());
      JsonNode row = failed.get("items").get(0);
      assertEquals(id + ".4", row.get("taskId").asText());
      assertEquals("false", row.get("cmd").asText());
      assertEquals(1, row.get("exitCode").asInt());
      assertEquals("worker-a", row.get("workerId").asText());
      assertEquals(1000, row.get("durationMs").asLong());
      assertEquals(5, row.get("stderrBytes").asLong());
      JsonNode timedOut = c.get("/v1/batches/" + id + "/tasks?state=TIMED_OUT").body().get("items").get(0);
      assertEquals("timeout", timedOut.get("cause").asText());
      assertTrue(timedOut.get("exitCode").isNull());

      JsonNode task = c.get("/v1/tasks/" + id + ".1").body();
      assertEquals("SUCCEEDED", task.get("state").asText());
      assertEquals("echo one", task.get("spec").get("cmd").asText());
      assertEquals(1, task.get("attempts").size(), "duplicates fold into one attempt");
      JsonNode result = task.get("attempts").get(0).get("result");
      assertEquals("one\n", result.get("stdout").get("head").asText(), "the first FINISHED wins");
      assertEquals("warn\n", result.get("stderr").get("head").asText());
      assertEquals("SUCCEEDED", result.get("outcome").asText());
      assertEquals(List.of("echo", "two"),
          Json.MAPPER.convertValue(c.get("/v1/tasks/" + id + ".2").body().get("spec"), TaskSpec.class).argv());
    }
  }

  @Test
  void aRetriedTaskShowsEveryAttemptAndTheLatestDecides() throws Exception {
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      String id = c.submit("{\"name\":\"" + name("retry") + "\",\"tasks\":[{\"cmd\":\"flaky\"}]}");
      publish(started(id, 1, 1), started(id, 1, 2), finished(id, 1, 1, Outcome.LOST, null, ""));
      c.until("/v1/tasks/" + id + ".1", x -> x.body().get("attempts").size() == 2
          && !x.body().get("attempts").get(0).get("result").isNull(), WAIT);
      Reply running = c.get("/v1/batches/" + id);
      assertEquals("RUNNING", running.body().get("state").asText());
      publish(finished(id, 1, 2, Outcome.SUCCEEDED, 0, "ok"));
      c.until("/v1/batches/" + id, x -> x.body().get("state").asText().equals("SUCCEEDED"), WAIT);
      JsonNode attempts = c.get("/v1/tasks/" + id + ".1").body().get("attempts");
      assertEquals("LOST", attempts.get(0).get("result").get("outcome").asText());
      assertEquals("ok", attempts.get(1).get("result").get("stdout").get("head").asText());
    }
  }

  @Test
  void aRestartedCoordinatorShowsTheSameBatches() throws Exception {
    String done;
    String running;
    String incomplete = "b" + Long.toString(System.currentTimeMillis(), 36) + "zzzz";
    Reply before;
    Reply beforeRunning;
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      done = c.submit("{\"name\":\"" + name("restart-done") + "\",\"tasks\":[{\"cmd\":\"a\"},{\"cmd\":\"b\"}]}");
      running = c.submit("{\"name\":\"" + name("restart-running") + "\",\"tasks\":[{\"cmd\":\"a\"},{\"cmd\":\"b\"}]}");
      publish(finished(done, 1, 1, Outcome.SUCCEEDED, 0, "x"), finished(done, 2, 1, Outcome.SUCCEEDED, 0, "y"),
          started(running, 1, 1));
      // a coordinator that died mid-publish: a task record, no BATCH_ACCEPTED
      TaskSpec orphan = new TaskSpec(1, incomplete, incomplete + ".1", 1, 1, "echo orphan", null, null, null,
          1000, 1000, 1000, null, null, 1);
      worker.send(new ProducerRecord<>(Topics.TASKS, orphan.taskId(), Json.write(orphan))).get(10, TimeUnit.SECONDS);
      before = c.until("/v1/batches/" + done, x -> x.body().get("state").asText().equals("SUCCEEDED"), WAIT);
      beforeRunning = c.until("/v1/batches/" + running, x -> x.body().get("state").asText().equals("RUNNING"), WAIT);
      c.until("/v1/batches/" + incomplete, x -> x.status() == 200, WAIT);
    }
    try (TestCoordinator c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0))) {
      // start() returns only once caught up: no waiting needed
      assertEquals(before.body(), c.get("/v1/batches/" + done).body());
      JsonNode afterRunning = c.get("/v1/batches/" + running).body();
      assertEquals("RUNNING", afterRunning.get("state").asText());
      assertEquals(beforeRunning.body().get("counts"), afterRunning.get("counts"));
      JsonNode orphan = c.get("/v1/batches/" + incomplete).body();
      assertEquals("INCOMPLETE", orphan.get("state").asText());
      assertEquals(1, orphan.get("taskCount").asInt());
      assertEquals("echo orphan", c.get("/v1/batches/" + incomplete + "/tasks").body()
          .get("items").get(0).get("cmd").asText());
      assertEquals("x", c.get("/v1/tasks/" + done + ".1").body()
          .get("attempts").get(0).get("result").get("stdout").get("head").asText());
      JsonNode list = c.get("/v1/batches?limit=1000").body();
      assertTrue(list.get("total").asInt() >= 3);
      assertFalse(list.get("items").findValuesAsText("batchId").isEmpty());
      assertTrue(list.get("items").findValuesAsText("batchId").contains(done));
      assertEquals(200, c.get("/healthz").status());
    }
  }
}
