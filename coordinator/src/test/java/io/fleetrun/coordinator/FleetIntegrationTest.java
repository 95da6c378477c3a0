package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet view end to end: a real broker, a coordinator and two real workers whose telemetry
 * travels the event bus, one batch of real child processes. {@code /v1/fleet} and {@code /metrics}
 * are read while it runs; then one worker stops and is shown DOWN while the other finishes.
 */
@Timeout(180)
class FleetIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void broker() {
    TestKafka.bootstrap();
  }

  private static JsonNode worker(JsonNode fleet, String id) {
    for (JsonNode w : fleet.path("workers")) {
      if (w.path("workerId").asText().equals(id)) {
        return w;
      }
    }
    return null;
  }

  private static JsonNode batch(JsonNode fleet, String id) {
    for (JsonNode b : fleet.path("batches")) {
      if (b.path("batchId").asText().equals(id)) {
        return b;
      }
    }
    return null;
  }

  /** Two tasks that fail with a message on stderr, then {@code sleeps} one-second sleeps. */
  static String batchJson(String name, int sleeps, String marker) {
    StringBuilder tasks = new StringBuilder("{\"cmd\":\"echo " + marker + " >&2; exit 3\"},"
        + "{\"cmd\":\"echo " + marker + "-2 >&2; exit 4\"}");
    for (int i = 0; i < sleeps; i++) {
      tasks.append(",{\"cmd\":\"sleep 1\"}");
    }
    return "{\"name\":\"" + name + "\",\"tasks\":[" + tasks + "]}";
  }

  @Test
  void fleetShowsBothWorkersWithLiveNumbersMetricsParseAndAStoppedWorkerGoesDown() throws Exception {
    try (TestFleet f = TestFleet.start(2, 3, null)) {
      TestCoordinator c = f.coordinator;
      String a = f.workerIds.get(0);
      String b = f.workerIds.get(1);
      String batchId = c.submit(batchJson("fleet-it", 60, "boom"));
      try {

        Reply live = c.until("/v1/fleet", r -> {
          JsonNode wa = worker(r.body(), a);
          JsonNode wb = worker(r.body(), b);
          JsonNode bt = batch(r.body(), batchId);
          return wa != null && wb != null && wa.at("/sample/liveChildren").asInt() > 0
              && wb.at("/sample/liveChildren").asInt() > 0 && wa.path("runningTasks").asInt() > 0
              && wb.path("runningTasks").asInt() > 0 && bt != null && bt.path("state").asText().equals("RUNNING");
        }, WAIT);
        JsonNode fleet = live.body();
        for (String id : List.of(a, b)) {
          JsonNode w = worker(fleet, id);
          assertEquals("UP", w.path("state").asText());
          JsonNode s = w.path("sample");
          assertEquals(3, s.path("cap").asInt());
          assertEquals(23, s.path("threshold").asInt());
          assertEquals(ProcessHandle.current().pid(), s.path("pid").asLong(), "in-process workers");
          assertTrue(s.path("rssBytes").asLong() > 10 << 20, "RSS of a JVM: " + s);
          assertTrue(s.path("openFds").asInt() > 10 && s.path("threads").asInt() > 10, s.toString());
          // a child between its exit and its reaping is a zombie for a moment: only the field is checked
          assertTrue(s.path("zombies").isInt() && s.path("zombies").asInt() >= 0, s.toString());
          assertTrue(w.path("ageMs").asLong() < 3_000, "fresh: " + w);
          assertTrue(w.path("runningTasks").asInt() >= 1, "the projection sees tasks RUNNING on " + id + ": " + w);
        }
        assertEquals(2, fleet.at("/totals/up").asInt());
        assertEquals(6, fleet.at("/totals/cap").asInt());
        JsonNode bt = batch(fleet, batchId);
        assertEquals(62, bt.path("taskCount").asInt());
        assertTrue(bt.path("running").asInt() > 0, bt.toString());

        String metrics = scrapeDuringBatch(c, batchId);
        checkMetrics(metrics, a, b, batchId);

        // one worker stops: DOWN within a few seconds; the other finishes the batch
        f.stopWorker(1);
        long stoppedAt = System.nanoTime();
        c.until("/v1/fleet", r -> worker(r.body(), b).path("state").asText().equals("DOWN"), Duration.ofSeconds(10));
        long downAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertTrue(downAfterMs < 5_000, "DOWN after " + downAfterMs + " ms");
        Reply end = c.until("/v1/fleet", r -> {
          JsonNode x = batch(r.body(), batchId);
          return x != null && x.path("state").asText().equals("FAILED");
        }, WAIT);
        JsonNode done = batch(end.body(), batchId);
        assertEquals(62, done.path("done").asInt());
        assertEquals(2, done.path("failed").asInt());
        assertEquals(2, done.at("/failedByOutcome/FAILED").asInt());
        assertEquals(0, done.path("etaMs").asLong());
        assertEquals("UP", worker(end.body(), a).path("state").asText());
        assertEquals(1, end.body().at("/totals/up").asInt());
      } finally {
        f.cancel(batchId); // a no-op when it ended; else leaves no task for the next test's workers
      }
    }
  }

  /** {@code /metrics} while tasks run; asserts the response is the 0.0.4 text format. */
  private static String scrapeDuringBatch(TestCoordinator c, String batchId) throws Exception {
    // the lag gauges appear after the first poll
    c.until("/v1/fleet", r -> r.body().at("/queueLag/polledAtMs").asLong() > 0, WAIT);
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(c.base + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals("RUNNING", c.get("/v1/batches/" + batchId).body().path("state").asText(), "scraped during the batch");
    return r.body();
  }

  private static void checkMetrics(String text, String a, String b, String batchId) {
    List<PrometheusText.Sample> samples = PrometheusText.parse(text);
    PromtoolCheck.parsesAndLintsClean(text, "fleetrun_fleet_", "fleetrun_tasks_", "fleetrun_batches_",
        "fleetrun_queue_");
    Map<String, List<PrometheusText.Sample>> byName =
        samples.stream().collect(Collectors.groupingBy(PrometheusText.Sample::name));
    for (String id : List.of(a, b)) {
      assertEquals(1.0, value(byName, "fleetrun_fleet_worker_up", Map.of("worker", id)));
      assertEquals(3.0, value(byName, "fleetrun_fleet_worker_cap", Map.of("worker", id)));
      assertTrue(value(byName, "fleetrun_fleet_worker_resident_memory_bytes", Map.of("worker", id)) > 0);
      for (String name : List.of("fleetrun_fleet_worker_children", "fleetrun_fleet_worker_cpu_cores",
          "fleetrun_fleet_worker_open_fds", "fleetrun_fleet_worker_threads", "fleetrun_fleet_worker_zombies",
          "fleetrun_fleet_worker_restarts_total", "fleetrun_fleet_worker_running_tasks")) {
        assertFalse(Double.isNaN(value(byName, name, Map.of("worker", id))), name);
      }
    }
    assertEquals(2.0, value(byName, "fleetrun_fleet_workers", Map.of("state", "up")));
    assertTrue(value(byName, "fleetrun_tasks_submitted_total", Map.of()) >= 62);
    assertTrue(value(byName, "fleetrun_batches_submitted_total", Map.of()) >= 1);
    assertTrue(value(byName, "fleetrun_tasks_unfinished", Map.of("state", "running")) > 0);
    assertFalse(Double.isNaN(value(byName, "fleetrun_tasks_finished_total", Map.of("outcome", "SUCCEEDED"))));
    assertFalse(Double.isNaN(value(byName, "fleetrun_queue_lag_records", Map.of("partition", "0"))));
    assertTrue(value(byName, "fleetrun_fleet_telemetry_received_total", Map.of()) >= 2);
    // Vert.x event bus and JVM metrics ride along
    assertTrue(byName.keySet().stream().anyMatch(n -> n.startsWith("vertx_eventbus_")), byName.keySet().toString());
    double published = byName.getOrDefault("vertx_eventbus_published_total", List.of()).stream()
        .mapToDouble(PrometheusText.Sample::value).sum();
    assertTrue(published > 0, "event-bus publications counted (telemetry, fleet): " + published);
    assertTrue(byName.containsKey("jvm_memory_used_bytes"));
    grafanaReadsOnlyExportedMetrics(byName.keySet());
    // no unbounded label: no series carries a task or batch id
    for (PrometheusText.Sample s : samples) {
      for (String v : s.labels().values()) {
        assertFalse(v.contains(batchId), s.toString());
      }
    }
  }

  /** Every fleetrun and Vert.x metric the Grafana dashboard queries is in the scrape. */
  private static void grafanaReadsOnlyExportedMetrics(java.util.Set<String> exported) {
    JsonNode dash;
    try {
      dash = io.fleetrun.common.Json.MAPPER.readTree(java.nio.file.Path.of("..", "deploy", "grafana", "fleetrun.json").toFile());
    } catch (java.io.IOException e) {
      throw new AssertionError("deploy/grafana/fleetrun.json does not parse", e);
    }
    assertTrue(dash.path("schemaVersion").asInt() >= 36, "schemaVersion");
    assertEquals("datasource", dash.at("/templating/list/0/type").asText());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:fleetrun|vertx|jvm)_[a-z0-9_]+)")
        .matcher(dash.toString());
    int seen = 0;
    while (m.find()) {
      String name = m.group(1);
      assertTrue(exported.contains(name), "the dashboard queries " + name + ", which /metrics does not export");
      seen++;
    }
    assertTrue(seen > 20, "queries found: " + seen);
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}; NaN if none. */
  private static double value(Map<String, List<PrometheusText.Sample>> byName, String name, Map<String, String> labels) {
    List<PrometheusText.Sample> matching = byName.getOrDefault(name, List.of()).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    assertEquals(1, matching.size(), name + labels + " in " + byName.getOrDefault(name, List.of()));
    return matching.get(0).value();
  }
}
