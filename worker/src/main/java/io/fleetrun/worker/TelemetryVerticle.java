package io.fleetrun.worker;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.worker.process.ProcessSupervisor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a worker's {@link WorkerTelemetry} on {@link Addresses#TELEMETRY} every {@link
 * WorkerConfig#telemetryIntervalMs()}, and serves the worker's Prometheus meters on {@code GET
 * /metrics} when {@link WorkerConfig#metricsPort()} asks for it. Deployed by {@link
 * WorkerVerticle} as its child, so it lives exactly as long as the worker.
 *
 * <p>The /proc reading runs as an ordered blocking call (never on the event loop); a tick that
 * finds the previous one still reading is skipped rather than queued.
 */
final class TelemetryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryVerticle.class);

  private final WorkerConfig config;
  private final WorkerStats stats;
  private final ProcessSupervisor supervisor;
  private final ResourceSampler sampler = new ResourceSampler();
  private final long pid = ProcessHandle.current().pid();
  private final long startedAtMs = System.currentTimeMillis();
  private HttpServer server;
  private volatile String metricsUrl;
  private boolean sampling;

  TelemetryVerticle(WorkerConfig config, WorkerStats stats, ProcessSupervisor supervisor) {
    this.config = config;
    this.stats = stats;
    this.supervisor = supervisor;
  }

  /** The URL of this worker's metrics endpoint, or null when it has none. */
  String metricsUrl() {
    return metricsUrl;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(0, config.telemetryIntervalMs(), id -> tick());
    if (config.metricsPort() == WorkerConfig.NO_METRICS) {
      return Future.succeededFuture();
    }
    var options = new HttpServerOptions().setHost(config.metricsHost()).setPort(config.metricsPort());
    return vertx.createHttpServer(options).requestHandler(this::serve).listen()
        .onSuccess(s -> {
          server = s;
          metricsUrl = "http://" + config.metricsHost() + ":" + s.actualPort() + "/metrics";
          LOG.info("worker {}: Prometheus metrics on {}", config.workerId(), metricsUrl);
        })
        .recover(e -> Future.failedFuture(new IllegalStateException("metrics-port: cannot listen on "
            + config.metricsHost() + ":" + config.metricsPort() + ": " + e.getMessage(), e)));
  }

  private void serve(HttpServerRequest req) {
    if (!"/metrics".equals(req.path())) {
      req.response().setStatusCode(404).end("only /metrics here\n");
      return;
    }
    // a scrape formats every meter: a few ms of CPU that does not belong on the event loop
    vertx.executeBlocking(() -> VertxRuntime.registry(vertx).scrape())
        .onSuccess(text -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(e -> req.response().setStatusCode(500).end(e.toString()));
  }

  private void tick() {
    if (sampling) {
      return;
    }
    sampling = true;
    vertx.executeBlocking(() -> sampler.sample(supervisor.livePids()))
        .onComplete(ar -> {
          sampling = false;
          if (ar.succeeded()) {
            stats.resources = ar.result();
            publish(ar.result());
          } else {
            LOG.warn("worker {}: resource sample failed: {}", config.workerId(), ar.cause().toString());
          }
        });
  }

  private void publish(ResourceSampler.Sample r) {
    WorkerTelemetry t = new WorkerTelemetry(WorkerTelemetry.VERSION, config.workerId(), config.host(), pid,
        System.currentTimeMillis(), config.telemetryIntervalMs(), startedAtMs, supervisor.containment().label(),
        config.maxChildren(), config.threshold(), stats.running.get(), stats.queued.get(),
        stats.assignedPartitions.get(), stats.pausedPartitions.get(), stats.healthy, stats.memoryPaused,
        stats.started(), stats.finishedCounts(), stats.takeSpawnLatency(), stats.takeRunTime(), r.hostCores(),
        r.hostCpuCores(), r.load1(), r.hostMemAvailableBytes(), r.processCpuCores(), r.rssBytes(),
        r.heapUsedBytes(), r.heapMaxBytes(), r.openFds(), r.threads(), r.zombies(), r.childrenRssBytes(),
        r.childrenCpuCores(), metricsUrl);
    vertx.eventBus().publish(Addresses.TELEMETRY, new JsonObject(Buffer.buffer(Json.write(t))));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
