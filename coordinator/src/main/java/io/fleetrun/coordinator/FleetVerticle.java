package io.fleetrun.coordinator;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.coordinator.FleetReport.QueueLag;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's fleet view: consumes worker telemetry on {@link Addresses#TELEMETRY}, and
 * once a tick joins it with a snapshot of the projection into a {@link FleetReport}, which it
 * publishes on {@link Addresses#FLEET} (a JSON object) and keeps for {@code GET /v1/fleet}. Also
 * owns the coordinator's fleet metrics and polls the task queue's lag from Kafka.
 *
 * <p>Deployed by the {@link CoordinatorVerticle} (undeployed with it). Threading: its own event
 * loop; the projection is read on the coordinator's context (a hop there and back per tick), the
 * lag poll runs on a worker thread. Work per telemetry message is one small JSON decode and a map
 * update; per tick linear in workers and shown batches.
 */
final class FleetVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FleetVerticle.class);

  private final FleetSettings settings;
  private final CoordinatorConfig config;
  private final Context coordinatorContext;
  private final Supplier<ProjectionSnapshot> projection;
  private FleetMetrics metrics;
  private FleetView view;
  private QueueLagReader lagReader;
  private MessageConsumer<Object> consumer;
  private long tickTimer = -1;
  private long lagTimer = -1;
  private boolean lagPolling;
  private long rejectedCount;
  private boolean stopped;
  private volatile QueueLag lag;
  private volatile Buffer latestJson;

  /**
   * @param projection answers a snapshot of the projection; called on {@code coordinatorContext}
   */
  FleetVerticle(FleetSettings settings, CoordinatorConfig config, Context coordinatorContext,
      Supplier<ProjectionSnapshot> projection) {
    this.settings = settings;
    this.config = config;
    this.coordinatorContext = coordinatorContext;
    this.projection = projection;
  }

  @Override
  public Future<?> start() {
    metrics = new FleetMetrics(VertxRuntime.registry(vertx));
    view = new FleetView(settings, System::currentTimeMillis, metrics);
    lagReader = new QueueLagReader(config.bootstrap(), Math.min(config.kafkaTimeoutMs(), 10_000));
    latestJson = Buffer.buffer(Json.write(view.tick(ProjectionSnapshot.EMPTY, null)));
    consumer = vertx.eventBus().consumer(Addresses.TELEMETRY, this::onTelemetry);
    tickTimer = vertx.setPeriodic(0, settings.tickMs(), id -> tick());
    lagTimer = vertx.setPeriodic(0, settings.lagPollMs(), id -> pollLag());
    return consumer.completion();
  }

  /** The latest report as JSON bytes (at most one tick old); never null once started. */
  Buffer latestJson() {
    return latestJson;
  }

  /** The history of fleet totals as JSON, built on this verticle's loop; completes there. */
  Future<Buffer> historyJson() {
    Promise<Buffer> p = Promise.promise();
    context.runOnContext(v -> p.complete(Buffer.buffer(Json.write(view.history()))));
    return p.future();
  }

  private void onTelemetry(Message<Object> m) {
    WorkerTelemetry t;
    try {
      t = decode(m.body());
    } catch (RuntimeException e) {
      metrics.rejected();
      rejectedCount++;
      if (rejectedCount <= 10 || rejectedCount % 1000 == 0) {
        log.warn("fleet: ignored a telemetry message ({} so far): {}", rejectedCount, e.getMessage());
      }
      return;
    }
    metrics.received();
    FleetView.Change change = view.accept(t);
    if (change == FleetView.Change.NEW) {
      log.info("fleet: worker {} on {} joined (cap {})", t.workerId(), t.host(), t.cap());
    } else if (change == FleetView.Change.RESTART) {
      log.info("fleet: worker {} on {} restarted", t.workerId(), t.host());
    }
  }

  /**
   * A telemetry body as the wire allows it: a JSON object, or its text or bytes.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static WorkerTelemetry decode(Object body) {
    byte[] bytes;
    if (body instanceof JsonObject j) {
      bytes = j.toBuffer().getBytes();
    } else if (body instanceof Buffer b) {
      bytes = b.getBytes();
    } else if (body instanceof String s) {
      bytes = s.getBytes(StandardCharsets.UTF_8);
    } else if (body instanceof byte[] b) {
      bytes = b;
    } else {
      throw new IllegalArgumentException("body of type " + (body == null ? "null" : body.getClass().getSimpleName())
          + " is not JSON");
    }
    WorkerTelemetry t;
    try {
      t = Json.read(bytes, WorkerTelemetry.class);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new IllegalArgumentException("not a WorkerTelemetry: " + root.getMessage(), e);
    }
    if (t.v() < 1 || t.workerId().isBlank()) {
      throw new IllegalArgumentException("WorkerTelemetry with v " + t.v() + " and workerId \"" + t.workerId() + "\"");
    }
    return t;
  }

  private void tick() {
    coordinatorContext.runOnContext(v -> {
      ProjectionSnapshot p = projection.get();
      context.runOnContext(x -> publish(p));
    });
  }

  private void publish(ProjectionSnapshot p) {
    if (stopped) {
      return; // a tick that was under way at stop
    }
    FleetReport report = view.tick(p, lag);
    metrics.update(p, report);
    Buffer json = Buffer.buffer(Json.write(report));
    latestJson = json;
    vertx.eventBus().publish(Addresses.FLEET, new JsonObject(json));
  }

  private void pollLag() {
    if (lagPolling) {
      return;
    }
    lagPolling = true;
    vertx.executeBlocking(() -> lagReader.read(System.currentTimeMillis()))
        .onComplete(ar -> {
          lagPolling = false;
          if (stopped) {
            return;
          }
          if (ar.succeeded()) {
            lag = ar.result();
            metrics.lag(ar.result());
          } else {
            QueueLag before = lag;
            String why = ar.cause().toString();
            lag = before == null ? new QueueLag(0, java.util.Map.of(), 0, why)
                : new QueueLag(before.total(), before.partitions(), before.polledAtMs(), why);
            log.debug("fleet: queue lag poll failed: {}", why);
          }
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(lagTimer);
    metrics.close();
    return consumer.unregister().eventually(() -> vertx.executeBlocking(() -> {
      lagReader.close();
      return null;
    }));
  }
}
