package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A small blocking client of the coordinator's HTTP API, for the command line. Thread-safe.
 * Every failure becomes a {@link CliException} whose message a user can act on.
 */
final class CoordinatorClient {
  /** One per JVM: each java.net.http client keeps a selector thread until it is collected. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  CoordinatorClient(String baseUrl, String token) {
    try {
      URI u = URI.create(baseUrl);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--coordinator: not an http(s) URL: " + baseUrl + " (e.g. http://127.0.0.1:8080)");
    }
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token == null || token.isBlank() ? null : token;
  }

  String baseUrl() {
    return base;
  }

  /**
   * Submits a batch file body; JSON when {@code json}, else one shell command per line with its
   * name and defaults in {@code query}.
   */
  JsonNode submit(byte[] body, boolean json, Map<String, String> query) {
    StringBuilder path = new StringBuilder("/v1/batches");
    query.forEach((k, v) -> path.append(path.indexOf("?") < 0 ? '?' : '&').append(enc(k)).append('=').append(enc(v)));
    HttpRequest.Builder b = request(path.toString())
        .header("Content-Type", json ? "application/json" : "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b.build(), 202);
  }

  JsonNode batch(String batchId) {
    return send(request("/v1/batches/" + enc(batchId)).GET().build(), 200);
  }

  JsonNode batches() {
    return send(request("/v1/batches").GET().build(), 200);
  }

  /** The newest {@code limit} batch summaries (1..1000), newest first. */
  JsonNode newestBatches(int limit) {
    return send(request("/v1/batches?limit=" + limit).GET().build(), 200);
  }

  JsonNode tasks(String batchId, String state, int offset, int limit) {
    String q = "?offset=" + offset + "&limit=" + limit + (state == null ? "" : "&state=" + enc(state));
    return send(request("/v1/batches/" + enc(batchId) + "/tasks" + q).GET().build(), 200);
  }

  JsonNode task(String taskId) {
    return send(request("/v1/tasks/" + enc(taskId)).GET().build(), 200);
  }

  /** The fleet report: workers, batches and totals ({@code GET /v1/fleet}). */
  JsonNode fleet() {
    return send(request("/v1/fleet").GET().build(), 200);
  }

  /** Asks to cancel a batch (an id without a dot) or one task (batch id, dot, seq). */
  JsonNode cancel(String id) {
    String path = id.contains(".") ? "/v1/tasks/" + enc(id) : "/v1/batches/" + enc(id);
    return send(request(path).DELETE().build(), 202);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonNode send(HttpRequest req, int expected) {
    HttpResponse<byte[]> resp;
    try {
      resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new CliException("cannot reach the coordinator at " + base + " (is it running? see --coordinator)");
    } catch (IOException e) {
      throw new CliException("coordinator at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode body = parse(resp.body());
    if (resp.statusCode() != expected) {
      String msg = body != null && body.hasNonNull("error") ? body.get("error").asText() : new String(resp.body(), StandardCharsets.UTF_8);
      String field = body != null && body.hasNonNull("field") ? body.get("field").asText() : null;
      String text = "coordinator answered " + resp.statusCode() + ": " + describe(msg, field);
      // a 4xx is the user's input (a bad batch, an unknown id, a missing token), not a failure
      throw resp.statusCode() >= 400 && resp.statusCode() < 500 ? CliException.usage(text) : new CliException(text);
    }
    return body;
  }

  /** An API error for people: the message, and the field when the message does not name it already. */
  static String describe(String message, String field) {
    return field == null || message.contains(field) ? message : message + " (field " + field + ")";
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
