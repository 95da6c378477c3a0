package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A coordinator deployed on its own Vert.x for a test, with a blocking HTTP client
 * (java.net.http) to call it. Close it to undeploy and close the Vert.x.
 */
final class TestCoordinator implements AutoCloseable {
  /** Status and parsed JSON body of one call. */
  record Reply(int status, JsonNode body, String raw) {
    JsonNode at(String pointer) {
      return body.at(pointer);
    }
  }

  final Vertx vertx;
  final CoordinatorVerticle verticle;
  final String deploymentId;
  final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestCoordinator(Vertx vertx, CoordinatorVerticle verticle, String deploymentId, String token) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.base = "http://127.0.0.1:" + verticle.actualPort();
    this.token = token;
  }

  static TestCoordinator start(CoordinatorConfig config) {
    Vertx vertx = Vertx.vertx();
    CoordinatorVerticle v = new CoordinatorVerticle(config);
    try {
      String id = vertx.deployVerticle(v).await(60, TimeUnit.SECONDS);
      return new TestCoordinator(vertx, v, id, config.token());
    } catch (Exception e) {
      closeQuietly(vertx);
      throw new AssertionError("coordinator did not start: " + e.getMessage(), e);
    }
  }

  /** Deploys {@code v} on an existing Vert.x (closed by {@link #close()}). */
  static TestCoordinator deploy(Vertx vertx, CoordinatorVerticle v, String token) {
    try {
      String id = vertx.deployVerticle(v).await(60, TimeUnit.SECONDS);
      return new TestCoordinator(vertx, v, id, token);
    } catch (Exception e) {
      closeQuietly(vertx);
      throw new AssertionError("coordinator did not start: " + e.getMessage(), e);
    }
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply postJson(String path, String json) {
    return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Reply post(String path, String contentType, byte[] body) {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  Reply send(HttpRequest req) {
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      String raw = new String(r.body(), StandardCharsets.UTF_8);
      boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      JsonNode body = raw.isEmpty() || !json ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(raw);
      return new Reply(r.statusCode(), body, raw);
    } catch (IOException e) {
      throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Submits a JSON batch and returns its id; fails the test unless it is accepted. */
  String submit(String json) {
    Reply r = postJson("/v1/batches", json);
    if (r.status() != 202) {
      fail("batch not accepted: " + r.status() + " " + r.raw());
    }
    return r.body().get("batchId").asText();
  }

  /**
   * Cancels a batch, ignoring the answer: for a test's cleanup, so that tasks it left queued are
   * not run by the workers of a later test on the shared broker.
   */
  void cancelQuietly(String batchId) {
    try {
      send(request("/v1/batches/" + batchId).DELETE().build());
    } catch (AssertionError e) {
      // the coordinator may already be gone: the test failed for a reason of its own
    }
  }

  /** Polls {@code path} until the reply satisfies {@code done}; fails after {@code timeout}. */
  Reply until(String path, Predicate<Reply> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Reply last;
    do {
      last = get(path);
      if (done.test(last)) {
        return last;
      }
      sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("timed out waiting on " + path + "; last reply " + last.status() + " " + last.raw());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Undeploys the verticle (as a restart would), then closes the Vert.x. */
  @Override
  public void close() {
    try {
      vertx.undeploy(deploymentId).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("undeploy failed: " + e.getMessage(), e);
    } finally {
      closeQuietly(vertx);
    }
  }

  static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("closing Vert.x failed: " + e, e);
    }
  }
}
