package io.fleetrun.coordinator;

import static io.fleetrun.coordinator.TelemetrySamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet's HTTP and bridge surface of a coordinator with a token, fed with hand-made telemetry
 * on its event bus: what needs the token, what the bridge lets through (outbound fleet and
 * telemetry only), and staleness and restarts over real time.
 */
@Timeout(120)
class FleetApiTest {
  private static final String TOKEN = "fleet-" + System.nanoTime();
  private static TestCoordinator c;

  @BeforeAll
  static void start() {
    CoordinatorConfig config = CoordinatorConfig.local(TestKafka.bootstrap(), 0).withToken(TOKEN);
    c = TestCoordinator.deploy(VertxRuntime.create(), new CoordinatorVerticle(config, TestFleet.FAST), TOKEN);
  }

  @AfterAll
  static void stop() {
    if (c != null) {
      c.close();
    }
  }

  private static Reply anonymous(String path) {
    return c.send(HttpRequest.newBuilder(URI.create(c.base + path)).GET().build());
  }

  private static void publish(WorkerTelemetry t) {
    c.vertx.eventBus().publish(Addresses.TELEMETRY, new JsonObject(Buffer.buffer(Json.write(t))));
  }

  private static JsonNode worker(Reply fleet, String id) {
    for (JsonNode w : fleet.body().path("workers")) {
      if (w.path("workerId").asText().equals(id)) {
        return w;
      }
    }
    return null;
  }

  @Test
  void fleetAndMetricsNeedTheTokenAndThePageDoesNot() {
    assertEquals(401, anonymous("/v1/fleet").status());
    assertEquals(401, anonymous("/v1/fleet/history").status());
    assertEquals(401, anonymous("/metrics").status());
    assertEquals(200, c.get("/v1/fleet").status());
    assertEquals(200, c.get("/v1/fleet/history").status());
    assertEquals(200, c.get("/metrics").status());
    assertEquals(400, c.get("/v1/fleet?x=1").status(), "unknown query parameters are refused");

    Reply root = anonymous("/?token=abc");
    assertEquals(302, root.status());
    Reply page = anonymous("/dashboard/");
    assertEquals(200, page.status());
    assertTrue(page.raw().contains("<title>fleetrun"), page.raw());
    HttpRequest req = HttpRequest.newBuilder(URI.create(c.base + "/dashboard/app.js")).GET().build();
    assertEquals(200, c.send(req).status());
  }

  @Test
  void silentWorkerGoesDownAndANewStartIsARestartAndJunkIsCountedNotFatal() {
    String id = "syn-" + System.nanoTime();
    long start = System.currentTimeMillis();
    for (int i = 0; i < 3; i++) {
      publish(sample(id, start, System.currentTimeMillis(), 200, i, 1));
      TestCoordinator.sleep(200);
    }
    c.vertx.eventBus().publish(Addresses.TELEMETRY, "garbage");
    c.vertx.eventBus().publish(Addresses.TELEMETRY, 17);
    Reply up = c.until("/v1/fleet", r -> worker(r, id) != null, Duration.ofSeconds(10));
    assertEquals("UP", worker(up, id).path("state").asText());
    // silent for more than 3 x 200 ms: DOWN at the next tick (500 ms)
    Reply down = c.until("/v1/fleet", r -> worker(r, id).path("state").asText().equals("DOWN"), Duration.ofSeconds(5));
    assertTrue(worker(down, id).path("ageMs").asLong() > 600, worker(down, id).toString());
    publish(sample(id, System.currentTimeMillis(), System.currentTimeMillis(), 200, 0, 0));
    Reply back = c.until("/v1/fleet", r -> worker(r, id).path("restarts").asInt() == 1, Duration.ofSeconds(5));
    assertEquals("UP", worker(back, id).path("state").asText());
    String metrics = c.get("/metrics").raw();
    double rejected = PrometheusText.parse(metrics).stream()
        .filter(s -> s.name().equals("fleetrun_fleet_telemetry_rejected_total")).findFirst().orElseThrow().value();
    assertTrue(rejected >= 2, "junk messages counted: " + rejected);
    assertTrue(metrics.contains("fleetrun_fleet_worker_restarts_total{worker=\"" + id + "\"} 1.0"), metrics);
  }

  @Test
  void bridgeNeedsTheTokenDeliversTheFleetAndRefusesEverythingInbound() throws Exception {
    WebSocketClient client = c.vertx.createWebSocketClient();
    try {
      int port = c.verticle.actualPort();
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> client.connect(port, "127.0.0.1", "/eventbus/websocket").toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
      assertTrue(refused.getCause() instanceof UpgradeRejectedException u && u.getStatus() == 401, refused.toString());

      BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
      WebSocket ws = client.connect(port, "127.0.0.1", "/eventbus/websocket?token=" + TOKEN)
          .await(10, TimeUnit.SECONDS);
      ws.handler(b -> frames.add(new JsonObject(b)));
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", Addresses.FLEET).encode());
      JsonObject rec = next(frames, "rec");
      assertEquals(Addresses.FLEET, rec.getString("address"));
      assertEquals(FleetReport.VERSION, rec.getJsonObject("body").getInteger("v"));
      assertTrue(rec.getJsonObject("body").containsKey("workers"));

      ws.writeTextMessage(new JsonObject().put("type", "publish").put("address", Addresses.TELEMETRY)
          .put("body", new JsonObject(Buffer.buffer(Json.write(sample("evil", 1, 1, 0, 0))))).encode());
      assertEquals("access_denied", next(frames, "err").getString("body"));
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "fleetrun.other").encode());
      assertEquals("access_denied", next(frames, "err").getString("body"));
      TestCoordinator.sleep(1_200); // two ticks: a worker "evil" would show by now
      assertEquals(null, worker(c.get("/v1/fleet"), "evil"), "nothing entered the bus from the browser");
      ws.close().await(10, TimeUnit.SECONDS);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The next bridge frame of {@code type}, skipping others (pongs, further fleet reports). */
  private static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && type.equals(f.getString("type"))) {
        return f;
      }
    }
    throw new AssertionError("no " + type + " frame from the bridge within 10 s");
  }
}
