package io.fleetrun.coordinator;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read endpoints. Batch and task listings are answered from the {@link Projection} on the
 * event loop; a single task's spec and output are fetched from Kafka by {@link OutputFetcher}.
 * Query parameters are strict: unknown names and bad values are a 400 naming the parameter.
 */
final class QueryHandlers {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Projection projection;
  private final OutputFetcher fetcher;

  QueryHandlers(Projection projection, OutputFetcher fetcher) {
    this.projection = projection;
    this.fetcher = fetcher;
  }

  /** {@code GET /v1/batches?offset=0&limit=100}: a page of batch summaries, newest first. */
  void listBatches(RoutingContext ctx) {
    Map<String, List<String>> q = allowOnly(ctx, Set.of("offset", "limit"));
    HttpApi.json(ctx, 200, projection.batches(offset(q), limit(q)));
  }

  /** {@code GET /v1/batches/{id}}: one batch summary. */
  void batch(RoutingContext ctx) {
    allowOnly(ctx, Set.of());
    String id = ctx.pathParam("id");
    projection.batch(id).ifPresentOrElse(
        s -> HttpApi.json(ctx, 200, s),
        () -> HttpApi.error(ctx, 404, "no batch " + shown(id), null));
  }

  /** {@code GET /v1/batches/{id}/tasks?state=X&offset=0&limit=100}: task rows in seq order. */
  void tasks(RoutingContext ctx) {
    Map<String, List<String>> q = allowOnly(ctx, Set.of("state", "offset", "limit"));
    Integer state = null;
    String s = single(q, "state");
    if (s != null) {
      try {
        state = Projection.stateCode(s);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("state must be QUEUED, RUNNING or an outcome "
            + "(SUCCEEDED, FAILED, TIMED_OUT, ...), got " + shown(s), "state");
      }
    }
    String id = ctx.pathParam("id");
    var page = projection.tasks(id, state, offset(q), limit(q));
    if (page.isEmpty()) {
      HttpApi.error(ctx, 404, "no batch " + shown(id), null);
      return;
    }
    HttpApi.json(ctx, 200, page.get());
  }

  /** {@code GET /v1/tasks/{id}}: spec and every attempt with its output, read from Kafka. */
  void task(RoutingContext ctx) {
    allowOnly(ctx, Set.of());
    String id = ctx.pathParam("id");
    var lookup = projection.task(id);
    if (lookup.isEmpty()) {
      HttpApi.error(ctx, 404, "no task " + shown(id), null);
      return;
    }
    fetcher.viewJson(lookup.get())
        .onSuccess(json -> HttpApi.send(ctx, 200, json))
        .onFailure(err -> HttpApi.error(ctx, 503, "cannot read task " + id + " from Kafka: " + err.getMessage(), null));
  }

  /** The query parameters, after refusing (400) any name not in {@code allowed}. */
  static Map<String, List<String>> allowOnly(RoutingContext ctx, Set<String> allowed) {
    Map<String, List<String>> q = SubmitHandler.params(ctx);
    for (String name : q.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiException.badRequest("unknown query parameter " + shown(name)
            + (allowed.isEmpty() ? " (none allowed)" : " (allowed: " + String.join(", ", allowed) + ")"), name);
      }
    }
    return q;
  }

  private static int offset(Map<String, List<String>> q) {
    return intParam(q, "offset", 0, 0, Integer.MAX_VALUE);
  }

  private static int limit(Map<String, List<String>> q) {
    return intParam(q, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  private static int intParam(Map<String, List<String>> q, String name, int dflt, int min, int max) {
    String v = single(q, name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(name + " must be an integer " + min + ".." + max + ", got " + shown(v), name);
  }

  private static String single(Map<String, List<String>> q, String name) {
    List<String> values = q.get(name);
    if (values == null) {
      return null;
    }
    if (values.size() != 1) {
      throw ApiException.badRequest("query parameter " + name + " given " + values.size() + " times", name);
    }
    return values.get(0);
  }

  /** {@code s} quoted for an error message, cut to 80 characters. */
  static String shown(String s) {
    return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
  }
}
