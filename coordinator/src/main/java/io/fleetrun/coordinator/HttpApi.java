package io.fleetrun.coordinator;

import io.fleetrun.common.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: routes, bearer-token check, and JSON errors ({@code {"error": "...",
 * "field": "..."}}, field only when one is to blame) for every failure, including the ones
 * Vert.x Web raises itself (413 body too large, 404, 405). Order per request: token, then
 * Content-Type, then the body size limit, then parsing, so a refused request is never buffered
 * or parsed. Handlers run on the coordinator's event loop.
 */
final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final List<Integer> ERROR_CODES = List.of(400, 401, 404, 405, 413, 415, 500, 503);

  private HttpApi() {}

  /**
   * @param health answers whether the projection is caught up and its loader alive: null when
   *     healthy, else what is wrong
   */
  static Router router(Vertx vertx, CoordinatorConfig config, SubmitHandler submit,
      QueryHandlers queries, CancelHandler cancels, Supplier<String> health, FleetRoutes fleet) {
    Router r = Router.router(vertx);
    if (config.hasToken()) {
      r.route("/v1/*").handler(bearer(config.token()));
    }
    // two routes: Vert.x Web wants a body handler before any user handler of the same route
    r.post("/v1/batches").handler(SubmitHandler::checkContentType);
    r.post("/v1/batches")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(submit);
    r.get("/v1/batches").handler(queries::listBatches);
    r.get("/v1/batches/:id").handler(queries::batch);
    r.get("/v1/batches/:id/tasks").handler(queries::tasks);
    r.get("/v1/tasks/:id").handler(queries::task);
    r.delete("/v1/batches/:id").handler(cancels::cancelBatch);
    r.delete("/v1/tasks/:id").handler(cancels::cancelTask);
    r.get("/healthz").handler(ctx -> {
      String problem = health.get();
      json(ctx, problem == null ? 200 : 503, new ApiViews.Health(problem == null ? "ok" : problem));
    });
    fleet.mount(r);
    for (int code : ERROR_CODES) {
      r.errorHandler(code, ctx -> failure(ctx, config));
    }
    return r;
  }

  static io.vertx.core.Handler<RoutingContext> bearer(String token) {
    return bearer(token, false);
  }

  /**
   * A handler that lets a request on only with the token: in an {@code Authorization: Bearer}
   * header, or, when {@code queryAllowed}, as the query parameter {@code token} (for a browser's
   * WebSocket, which cannot set headers).
   */
  static io.vertx.core.Handler<RoutingContext> bearer(String token, boolean queryAllowed) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return ctx -> {
      String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          ? header.substring(7).trim() : null;
      if (presented == null && queryAllowed) {
        presented = ctx.request().getParam("token");
      }
      // constant-time comparison: the token must not leak through response timing
      if (presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
        ctx.next();
        return;
      }
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"fleetrun\"");
      boolean none = presented == null && header == null;
      error(ctx, 401, none ? "missing Authorization: Bearer <token> header" : "invalid bearer token", null);
    };
  }

  /** Turns any failure of a route into a JSON error; an {@link ApiException} keeps its status. */
  private static void failure(RoutingContext ctx, CoordinatorConfig config) {
    Throwable t = ctx.failure();
    if (t instanceof ApiException e) {
      error(ctx, e.status(), e.getMessage(), e.field());
      return;
    }
    int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String message = switch (code) {
      case 404 -> "no such endpoint: " + ctx.request().method() + " " + ctx.request().path();
      case 405 -> "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
      case 413 -> "request body larger than the limit of " + config.maxBodyBytes() + " bytes";
      default -> t != null && t.getMessage() != null ? t.getMessage() : "request failed";
    };
    if (code == 500) {
      log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
      message = "internal error: " + (t == null ? "unknown" : t.getClass().getSimpleName());
    }
    error(ctx, code, message, null);
  }

  static void error(RoutingContext ctx, int status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    json(ctx, status, body);
  }

  static void json(RoutingContext ctx, int status, Object body) {
    send(ctx, status, Buffer.buffer(Json.write(body)));
  }

  static void send(RoutingContext ctx, int status, Buffer json) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(json);
  }
}
