package io.fleetrun.coordinator;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.VertxRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import java.util.Set;

/**
 * The fleet's HTTP surface, on the coordinator's server: {@code GET /v1/fleet} and {@code
 * /v1/fleet/history} (JSON), {@code GET /metrics} (Prometheus text), the event-bus bridge under
 * {@code /eventbus/} (SockJS, raw WebSocket at {@code /eventbus/websocket}; outbound only, to
 * {@link Addresses#FLEET} and {@link Addresses#TELEMETRY}; nothing inbound), and the dashboard
 * page under {@code /dashboard/} ({@code /} redirects there).
 *
 * <p>With a token configured: {@code /v1} is guarded by {@link HttpApi} already; {@code /metrics}
 * needs the bearer header (Prometheus sends it with {@code authorization: credentials}); the
 * bridge takes the header or {@code ?token=} (a browser's WebSocket cannot set headers). The page
 * itself holds no data and is open; it asks for the token and sends it on every call.
 */
final class FleetRoutes {
  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final FleetVerticle fleet;

  FleetRoutes(Vertx vertx, CoordinatorConfig config, FleetVerticle fleet) {
    this.vertx = vertx;
    this.config = config;
    this.fleet = fleet;
  }

  void mount(Router r) {
    r.get("/v1/fleet").handler(ctx -> {
      QueryHandlers.allowOnly(ctx, Set.of());
      HttpApi.send(ctx, 200, fleet.latestJson());
    });
    r.get("/v1/fleet/history").handler(ctx -> {
      QueryHandlers.allowOnly(ctx, Set.of());
      fleet.historyJson().onComplete(ar -> {
        if (ar.succeeded()) {
          HttpApi.send(ctx, 200, ar.result());
        } else {
          ctx.fail(ar.cause());
        }
      });
    });
    if (config.hasToken()) {
      r.route("/metrics").handler(HttpApi.bearer(config.token()));
      r.route("/eventbus/*").handler(HttpApi.bearer(config.token(), true));
    }
    r.get("/metrics").handler(this::scrape);
    r.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(bridgeOptions()));
    r.get("/").handler(FleetRoutes::toDashboard);
    r.get("/dashboard").handler(FleetRoutes::toDashboard);
    r.route("/dashboard/*").handler(FleetRoutes::pageHeaders)
        .handler(StaticHandler.create("dashboard").setCachingEnabled(false).setIndexPage("index.html"));
  }

  /**
   * {@code GET /metrics}: the registry in the Prometheus text format (0.0.4), formatted on a
   * worker thread: formatting every meter takes milliseconds that do not belong on the event loop.
   */
  private void scrape(RoutingContext ctx) {
    var registry = VertxRuntime.registry(vertx);
    vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
            .end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /** Outbound only: the browser may listen to the fleet and telemetry, and send nothing. */
  static SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.FLEET))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.TELEMETRY));
  }

  /** Redirects to the page, keeping the query (a {@code ?token=} the page picks up). */
  private static void toDashboard(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/dashboard/")) {
      ctx.next(); // Vert.x matches "/dashboard" to "/dashboard/" as well: that one is the page
      return;
    }
    String q = ctx.request().query();
    ctx.response().setStatusCode(302)
        .putHeader(HttpHeaders.LOCATION, "/dashboard/" + (q == null || q.isEmpty() ? "" : "?" + q))
        .end();
  }

  /** The page loads nothing from elsewhere and runs no inline script. */
  private static void pageHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }
}
