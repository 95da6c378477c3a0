package io.fleetrun.coordinator;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/batches}: parse and validate the body off the event loop, publish it, answer
 * 202 {@code {"batchId": ..., "taskCount": N}}. JSON bodies take no query parameters; text/plain
 * bodies take the ones {@link TextBatchParser} documents. Every refusal is an {@link
 * ApiException} handed to the router's error handlers.
 */
final class SubmitHandler implements Handler<RoutingContext> {
  static final String JSON = "application/json";
  static final String TEXT = "text/plain";
  private static final String MEDIA_KEY = "fleetrun.mediaType";

  private final Vertx vertx;
  private final BatchPublisher publisher;
  private final JsonBatchParser jsonParser;
  private final TextBatchParser textParser;

  SubmitHandler(Vertx vertx, CoordinatorConfig config, BatchPublisher publisher) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.jsonParser = new JsonBatchParser(config.maxTasks());
    this.textParser = new TextBatchParser(config.maxTasks());
  }

  /** Runs before the body is read: only JSON and plain text (in UTF-8) are accepted. */
  static void checkContentType(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals(JSON) && !type.equals(TEXT)) {
      HttpApi.error(ctx, 415, "Content-Type must be " + JSON + " or " + TEXT
          + " (one shell command per line), got " + (header == null ? "none" : header), null);
      return;
    }
    String charset = charset(header);
    if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")
        && !(type.equals(TEXT) && charset.equals("us-ascii"))) {
      HttpApi.error(ctx, 415, "only UTF-8 bodies are accepted, got charset " + charset, null);
      return;
    }
    ctx.put(MEDIA_KEY, type);
    ctx.next();
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean text = TEXT.equals(ctx.get(MEDIA_KEY));
    Map<String, List<String>> params = params(ctx);
    if (!text && !params.isEmpty()) {
      String first = params.keySet().iterator().next();
      throw ApiException.badRequest("query parameters are for text/plain bodies; a JSON body sets "
          + "name and defaults itself (got " + first + ")", first);
    }
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    vertx.executeBlocking(() -> text ? textParser.parse(bytes, params) : jsonParser.parse(bytes), false)
        .compose(publisher::publish)
        .onSuccess(accepted -> {
          ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/batches/" + accepted.batchId());
          HttpApi.json(ctx, 202, accepted);
        })
        .onFailure(ctx::fail);
  }

  /** Query parameters, each with all its values; a malformed query string is a 400. */
  static Map<String, List<String>> params(RoutingContext ctx) {
    MultiMap q;
    try {
      q = ctx.queryParams();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("malformed query string: " + e.getMessage(), null);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : q.names()) {
      out.put(name, q.getAll(name));
    }
    return out;
  }

  private static String charset(String header) {
    for (String part : header.split(";")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("charset=")) {
        return p.substring("charset=".length()).replace("\"", "").trim();
      }
    }
    return null;
  }
}
