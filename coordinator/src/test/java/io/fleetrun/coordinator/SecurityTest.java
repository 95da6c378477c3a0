package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The security baseline: loopback unless a token is set; with a token, every /v1 call needs it. */
class SecurityTest {

  @Test
  void nonLoopbackHostWithoutTokenRefusesToStart() {
    Vertx vertx = Vertx.vertx();
    try {
      for (String token : new String[] {null, "  "}) {
        CoordinatorConfig config = CoordinatorConfig.defaults("127.0.0.1:1").withHost("0.0.0.0").withPort(0)
            .withToken(token);
        Exception e = assertThrows(Exception.class,
            () -> vertx.deployVerticle(new CoordinatorVerticle(config)).await(30, TimeUnit.SECONDS));
        String message = e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage();
        assertTrue(message.contains("0.0.0.0") && message.contains("token"), message);
      }
    } finally {
      TestCoordinator.closeQuietly(vertx);
    }
  }

  @Test
  void loopbackJudgementIsLiteralAndNeverGuessesNames() {
    assertTrue(CoordinatorConfig.isLoopback("127.0.0.1"));
    assertTrue(CoordinatorConfig.isLoopback("127.0.0.2"));
    assertTrue(CoordinatorConfig.isLoopback("::1"));
    assertTrue(CoordinatorConfig.isLoopback("[::1]"));
    assertTrue(CoordinatorConfig.isLoopback("localhost"));
    assertFalse(CoordinatorConfig.isLoopback("0.0.0.0"));
    assertFalse(CoordinatorConfig.isLoopback("10.1.2.3"));
    assertFalse(CoordinatorConfig.isLoopback("::"));
    assertFalse(CoordinatorConfig.isLoopback("coordinator.example"));
  }

  @Test
  void configValidationNamesTheBadField() {
    CoordinatorConfig ok = CoordinatorConfig.defaults("k:9092");
    assertEquals(ok, ok.validate());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.withPort(70000).validate())
        .getMessage().startsWith("port"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CoordinatorConfig.defaults(" ").validate())
        .getMessage().startsWith("bootstrap"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.withLimits(10, 5).validate())
        .getMessage().startsWith("maxBodyBytes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.withLimits(1 << 20, 0).validate())
        .getMessage().startsWith("maxTasks"));
    assertFalse(ok.withToken("s3cret").toString().contains("s3cret"), "the token is never printed");
  }

  @Test
  void withATokenEveryV1CallNeedsItAndHealthDoesNot() {
    String token = "t-" + System.nanoTime();
    // bound to every interface, reached over loopback only
    CoordinatorConfig config = CoordinatorConfig.defaults(TestKafka.bootstrap()).withHost("0.0.0.0").withPort(0)
        .withToken(token);
    try (TestCoordinator c = TestCoordinator.start(config)) {
      String good = "{\"name\":\"sec\",\"tasks\":[{\"cmd\":\"true\"}]}";
      Reply accepted = c.postJson("/v1/batches", good);
      assertEquals(202, accepted.status(), accepted.raw());
      String id = accepted.body().get("batchId").asText();
      assertEquals(200, c.get("/v1/batches/" + id).status());

      for (String path : new String[] {"/v1/batches", "/v1/batches/" + id, "/v1/batches/" + id + "/tasks",
          "/v1/tasks/" + id + ".1", "/v1/nothing"}) {
        Reply none = c.send(HttpRequest.newBuilder(URI.create(c.base + path)).GET().build());
        assertEquals(401, none.status(), path);
        assertTrue(none.body().get("error").asText().contains("Bearer"), none.raw());
        Reply wrong = c.send(HttpRequest.newBuilder(URI.create(c.base + path))
            .header("Authorization", "Bearer nope").GET().build());
        assertEquals(401, wrong.status(), path);
      }
      for (String path : new String[] {"/v1/batches/" + id, "/v1/tasks/" + id + ".1"}) {
        Reply cancel = c.send(HttpRequest.newBuilder(URI.create(c.base + path)).DELETE().build());
        assertEquals(401, cancel.status(), "DELETE " + path);
      }
      assertTrue(c.get("/v1/batches/" + id).body().get("cancelRequestedAtMs").isNull(), "nothing was cancelled");
      assertEquals(202, c.send(c.request("/v1/batches/" + id).DELETE().build()).status(), "with the token");
      Reply post = c.send(HttpRequest.newBuilder(URI.create(c.base + "/v1/batches"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(good)).build());
      assertEquals(401, post.status());
      Reply health = c.send(HttpRequest.newBuilder(URI.create(c.base + "/healthz")).GET().build());
      assertEquals(200, health.status());
      assertEquals("ok", health.body().get("status").asText());
    }
  }
}
