package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POST /v1/batches through a real HTTP server and a real broker. */
class SubmitApiTest {
  private static final Logger log = LoggerFactory.getLogger(SubmitApiTest.class);
  private static final long MAX_BODY = 256 * 1024;
  private static final int MAX_TASKS = 6000;
  private static TestCoordinator c;

  @BeforeAll
  static void start() {
    c = TestCoordinator.start(CoordinatorConfig.local(TestKafka.bootstrap(), 0).withLimits(MAX_BODY, MAX_TASKS));
  }

  @AfterAll
  static void stop() {
    if (c != null) {
      c.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String good() {
    return "{\"name\":\"" + unique("good") + "\",\"tasks\":[{\"cmd\":\"true\"}]}";
  }

  private record Bad(String what, String contentType, String body, String query, int status, String field) {}

  @Test
  void eachBadInputGetsItsStatusAndFieldAndTheNextGoodBatchIsStillAccepted() {
    List<Bad> cases = List.of(
        new Bad("malformed JSON", "application/json", "{\"tasks\": [", "", 400, null),
        new Bad("empty batch", "application/json", "{\"tasks\": []}", "", 400, "tasks"),
        new Bad("empty body", "application/json", "", "", 400, null),
        new Bad("unknown field", "application/json", "{\"tasks\":[{\"cmd\":\"a\",\"retry\":1}]}", "", 400, "tasks[0].retry"),
        new Bad("neither cmd nor argv", "application/json", "{\"tasks\":[{\"cwd\":\"/\"}]}", "", 400, "tasks[0]"),
        new Bad("negative timeout", "application/json",
            "{\"tasks\":[{\"cmd\":\"a\"},{\"cmd\":\"a\"},{\"cmd\":\"a\"},{\"cmd\":\"a\",\"timeoutMs\":-1}]}", "", 400, "tasks[3].timeoutMs"),
        new Bad("env key with =", "application/json", "{\"tasks\":[{\"cmd\":\"a\",\"env\":{\"A=B\":\"1\"}}]}", "", 400, "tasks[0].env"),
        new Bad("NUL in command", "application/json", "{\"tasks\":[{\"cmd\":\"a\\u0000b\"}]}", "", 400, "tasks[0].cmd"),
        new Bad("relative cwd", "application/json", "{\"defaults\":{\"cwd\":\"x\"},\"tasks\":[{\"cmd\":\"a\"}]}", "", 400, "defaults.cwd"),
        new Bad("query params on JSON", "application/json", good(), "?timeoutMs=5", 400, "timeoutMs"),
        new Bad("text with unknown param", "text/plain", "true\n", "?cwd=/tmp", 400, "cwd"),
        new Bad("text with NUL", "text/plain", "true\nfalse\0\n", "", 400, "line 2"),
        new Bad("text with bad timeout", "text/plain", "true\n", "?timeoutMs=-3", 400, "timeoutMs"),
        new Bad("wrong content type", "application/xml", "<tasks/>", "", 415, null),
        new Bad("no content type", null, good(), "", 415, null),
        new Bad("non-UTF-8 charset", "text/plain; charset=latin1", "true\n", "", 415, null),
        new Bad("too many tasks", "text/plain", "true\n".repeat(MAX_TASKS + 1), "", 413, "line " + (MAX_TASKS + 1)));
    for (Bad b : cases) {
      Reply r = c.post("/v1/batches" + b.query(), b.contentType(), b.body().getBytes(StandardCharsets.UTF_8));
      assertEquals(b.status(), r.status(), b.what() + ": " + r.raw());
      assertTrue(r.body().path("error").asText().length() > 5, b.what() + ": readable error in " + r.raw());
      if (b.field() == null) {
        assertFalse(r.body().has("field"), b.what() + ": " + r.raw());
      } else {
        assertEquals(b.field(), r.body().path("field").asText(), b.what() + ": " + r.raw());
      }
      assertEquals(202, c.postJson("/v1/batches", good()).status(), "good batch after " + b.what());
    }
  }

  @Test
  void oversizedBodyGets413AndTheServerStaysUp() {
    String big = "{\"tasks\":[" + IntStream.range(0, 30_000).mapToObj(i -> "{\"cmd\":\"true\"}")
        .collect(Collectors.joining(",")) + "]}";
    assertTrue(big.length() > MAX_BODY);
    Reply r = c.postJson("/v1/batches", big);
    assertEquals(413, r.status(), r.raw());
    assertTrue(r.body().path("error").asText().contains(Long.toString(MAX_BODY)), r.raw());
    assertEquals(202, c.postJson("/v1/batches", good()).status());
    assertEquals(200, c.get("/healthz").status());
  }

  @Test
  void badQueriesAreRejectedNamingTheParameter() {
    String id = c.submit(good());
    assertEquals("state", c.get("/v1/batches/" + id + "/tasks?state=DONE").body().path("field").asText());
    assertEquals("limit", c.get("/v1/batches/" + id + "/tasks?limit=1001").body().path("field").asText());
    assertEquals("offset", c.get("/v1/batches/" + id + "/tasks?offset=-1").body().path("field").asText());
    assertEquals("sort", c.get("/v1/batches?sort=name").body().path("field").asText());
    assertEquals(400, c.get("/v1/batches/" + id + "/tasks?limit=x").status());
    assertEquals(404, c.get("/v1/batches/bnosuchbatch").status());
    assertEquals(404, c.get("/v1/batches/bnosuchbatch/tasks").status());
    assertEquals(404, c.get("/v1/tasks/" + id + ".2").status());
    assertEquals(404, c.get("/v1/tasks/nonsense").status());
    Reply unknown = c.get("/v1/nothing-here");
    assertEquals(404, unknown.status());
    assertTrue(unknown.body().has("error"), unknown.raw());
    Reply method = c.send(c.request("/v1/batches").DELETE().build());
    assertEquals(405, method.status(), method.raw());
    assertTrue(method.body().has("error"), method.raw());
  }

  @Test
  void textPlainBodyBecomesOneTaskPerLineWithQueryDefaults() {
    String name = unique("text");
    String body = "# build shards\necho one\r\n\n  # skipped\nsleep 0.1; echo two\n";
    Reply r = c.post("/v1/batches?name=" + name + "&timeoutMs=1234&killGraceMs=99", "text/plain; charset=utf-8",
        body.getBytes(StandardCharsets.UTF_8));
    assertEquals(202, r.status(), r.raw());
    assertEquals(2, r.body().get("taskCount").asInt());
    String id = r.body().get("batchId").asText();
    JsonNode batch = c.get("/v1/batches/" + id).body();
    assertEquals(name, batch.get("name").asText());
    assertEquals("ACCEPTED", batch.get("state").asText());
    JsonNode items = c.get("/v1/batches/" + id + "/tasks").body().get("items");
    assertEquals("echo one", items.get(0).get("cmd").asText());
    assertEquals("sleep 0.1; echo two", items.get(1).get("cmd").asText());
    JsonNode spec = c.until("/v1/tasks/" + id + ".2", x -> x.body().hasNonNull("spec"), Duration.ofSeconds(10))
        .body().get("spec");
    assertEquals(1234, spec.get("timeoutMs").asLong());
    assertEquals(99, spec.get("killGraceMs").asLong());
    assertEquals(CoordinatorConfig.DEFAULT_OUTPUT_LIMIT_BYTES, spec.get("outputLimitBytes").asLong());
  }

  @Test
  void publishedTasksAreOnTheTasksTopicKeyedByTaskIdThenBatchAcceptedOnResults() {
    String id = c.submit("{\"name\":\"" + unique("pub") + "\",\"defaults\":{\"env\":{\"K\":\"v\"},\"timeoutMs\":500},"
        + "\"tasks\":[{\"cmd\":\"echo 1\"},{\"argv\":[\"printf\",\"%s\",\"x y\"],\"timeoutMs\":0},{\"cmd\":\"echo 3\",\"pidsLimit\":9}]}");
    Map<String, TaskSpec> specs = readTasks(id, 3);
    assertEquals(List.of(id + ".1", id + ".2", id + ".3"), specs.keySet().stream().sorted().toList());
    TaskSpec first = specs.get(id + ".1");
    assertEquals(id, first.batchId());
    assertEquals(1, first.seq());
    assertEquals(1, first.attempt());
    assertEquals("echo 1", first.cmd());
    assertEquals(500, first.timeoutMs());
    assertEquals(Map.of("K", "v"), first.env());
    TaskSpec second = specs.get(id + ".2");
    assertEquals(List.of("printf", "%s", "x y"), second.argv());
    assertEquals(0, second.timeoutMs());
    assertEquals(9, specs.get(id + ".3").pidsLimit());
    try (ResultsReader results = new ResultsReader(TestKafka.bootstrap(), id)) {
      List<ResultEvent> events = results.until(e -> !e.isEmpty(), Duration.ofSeconds(10));
      ResultEvent.BatchAccepted accepted = (ResultEvent.BatchAccepted) events.get(0);
      assertEquals(3, accepted.taskCount());
      assertEquals(id, accepted.batchId());
    }
  }

  @Test
  void fiveThousandTaskBatchIsPublishedInWellUnderAFewSeconds() {
    String body = "{\"name\":\"" + unique("big") + "\",\"tasks\":[" + IntStream.rangeClosed(1, 5000)
        .mapToObj(i -> "{\"cmd\":\"echo " + i + "\"}").collect(Collectors.joining(",")) + "]}";
    long cold = timedSubmit(body);
    long warm = timedSubmit(body);
    log.info("5,000-task batch published and accepted in {} ms (first in this JVM), {} ms (second)", cold, warm);
    // generous bounds: this 2-core box is shared with other builds; typical is ~2 s cold, 0.3 s warm
    assertTrue(cold < 10_000, "first 5,000-task batch took " + cold + " ms");
    assertTrue(warm < 3_000, "second 5,000-task batch took " + warm + " ms");
  }

  private static long timedSubmit(String body) {
    long t0 = System.nanoTime();
    Reply r = c.postJson("/v1/batches", body);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(202, r.status(), r.raw());
    String id = r.body().get("batchId").asText();
    JsonNode batch = c.get("/v1/batches/" + id).body();
    assertEquals(5000, batch.get("taskCount").asInt());
    assertEquals(5000, batch.get("counts").get("QUEUED").asInt());
    JsonNode page = c.get("/v1/batches/" + id + "/tasks?offset=4998&limit=1000").body();
    assertEquals(5000, page.get("total").asInt());
    assertEquals("echo 5000", page.get("items").get(1).get("cmd").asText());
    c.cancelQuietly(id); // 5,000 tasks nobody needs: the workers of later tests skip them
    return ms;
  }

  /** Reads the tasks topic from the beginning until {@code n} records of batch {@code id} are seen. */
  static Map<String, TaskSpec> readTasks(String id, int n) {
    Map<String, Object> conf = new HashMap<>(KafkaClients.consumer(TestKafka.bootstrap(), null, "test-tasks"));
    Map<String, TaskSpec> found = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(conf)) {
      List<TopicPartition> parts = consumer.partitionsFor(Topics.TASKS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (found.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().startsWith(id + ".")) {
            found.put(r.key(), Json.read(r.value(), TaskSpec.class));
          }
        }
      }
    }
    assertEquals(n, found.size(), "task records of " + id);
    return found;
  }
}
