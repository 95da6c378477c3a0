package io.fleetrun.coordinator;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.kafka.TopicSetup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator: HTTP API over a projection of the Kafka topics. Deploy with {@code
 * vertx.deployVerticle(new CoordinatorVerticle(config))}; one instance per deployment.
 *
 * <p>{@link #start()}: validate the config (a non-loopback host without a token fails here),
 * create missing topics, read {@code fleetrun.tasks}, {@code fleetrun.results} and {@code
 * fleetrun.control} to the end offsets taken at start, keep consuming live, then listen. A
 * restarted coordinator therefore shows the same batches, cancels included. {@link #stop()}
 * closes the server, the producer, the loader thread and the fetch consumer. If start fails,
 * whatever it opened is closed again.
 *
 * <p>Once caught up it deploys a {@link FleetVerticle} (worker telemetry, {@code GET /v1/fleet},
 * {@code /metrics}, the dashboard and its event-bus bridge on the same server), undeployed with it.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorVerticle.class);

  private final CoordinatorConfig config;
  private final FleetSettings fleetSettings;
  private Projection projection;
  private FleetVerticle fleet;
  private String fleetDeployment;
  private ProjectionLoader loader;
  private KafkaProducer<String, Object> producer;
  private OutputFetcher fetcher;
  private volatile HttpServer server;

  public CoordinatorVerticle(CoordinatorConfig config) {
    this(config, FleetSettings.DEFAULTS);
  }

  /** A coordinator whose fleet view runs with {@code fleetSettings} (tests shorten its periods). */
  public CoordinatorVerticle(CoordinatorConfig config, FleetSettings fleetSettings) {
    this.config = config;
    this.fleetSettings = fleetSettings;
  }

  /** The port the HTTP server listens on (the chosen one when the config said 0). */
  public int actualPort() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the coordinator is not started");
    }
    return s.actualPort();
  }

  @Override
  public Future<?> start() {
    try {
      config.validate();
      fleetSettings.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("coordinator config: " + e.getMessage(), e));
    }
    // the seq guard is never below the default cap: batches of other coordinators stay visible
    projection = new Projection(Math.max(config.maxTasks(), CoordinatorConfig.DEFAULT_MAX_TASKS));
    return vertx.executeBlocking(() -> {
          TopicSetup.ensure(config.bootstrap());
          return null;
        })
        .compose(v -> {
          loader = new ProjectionLoader(config, context, projection);
          return loader.start();
        })
        .compose(v -> deployFleet())
        .compose(v -> listen())
        .onSuccess(s -> log.info("coordinator listening on http://{}:{} (Kafka {}, token {})",
            config.host(), s.actualPort(), config.bootstrap(), config.hasToken() ? "required" : "off"))
        .recover(err -> shutdown().transform(x -> Future.failedFuture(
            new IllegalStateException("coordinator did not start: " + err.getMessage(), err))));
  }

  private Future<String> deployFleet() {
    fleet = new FleetVerticle(fleetSettings, config, context, () -> projection.fleetSnapshot(
        FleetSettings.MAX_OPEN_BATCHES, FleetSettings.RECENT_BATCHES, System.currentTimeMillis()
            - FleetSettings.FINISHED_SHOWN_MS));
    return vertx.deployVerticle(fleet).onSuccess(id -> fleetDeployment = id);
  }

  private Future<HttpServer> listen() {
    Map<String, String> conf = KafkaClients.producer(config.bootstrap(),
        "fleetrun-coordinator-" + UUID.randomUUID().toString().substring(0, 8));
    long timeout = config.kafkaTimeoutMs();
    conf.put("max.block.ms", Long.toString(timeout));
    conf.put("request.timeout.ms", Long.toString(Math.max(1000, timeout / 2)));
    conf.put("delivery.timeout.ms", Long.toString(timeout + 1000));
    // A batch goes out in one burst, so its records batch up behind the requests in flight anyway;
    // lingering would only hold back the last record of each burst, and a one-task batch entirely
    // (twice per POST: tasks, then BATCH_ACCEPTED), before any worker can start it.
    conf.put("linger.ms", "0");
    Serializer<Object> json = (topic, value) -> Json.write(value);
    producer = KafkaProducer.create(vertx, conf, new StringSerializer(), json);
    // every failed send is answered through its own future (a 503); without a handler Vert.x
    // would also log it as an unhandled exception
    producer.exceptionHandler(err -> log.debug("Kafka producer: {}", err.toString()));
    // fetch the topics' metadata now, so the first batch or cancel does not wait for it
    Future<?> warm = Future.join(producer.partitionsFor(Topics.TASKS), producer.partitionsFor(Topics.RESULTS),
        producer.partitionsFor(Topics.CONTROL));
    fetcher = new OutputFetcher(vertx, config);
    BatchPublisher publisher = new BatchPublisher(vertx, context, producer, config, projection);
    var router = HttpApi.router(vertx, config, new SubmitHandler(vertx, config, publisher),
        new QueryHandlers(projection, fetcher), new CancelHandler(projection, producer), this::healthProblem,
        new FleetRoutes(vertx, config, fleet));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    return warm.compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
        .onSuccess(s -> server = s);
  }

  /** Null when healthy: the projection caught up and its loader still runs. */
  private String healthProblem() {
    if (loader == null || !loader.caughtUp()) {
      return "catching up";
    }
    return loader.failure();
  }

  @Override
  public Future<?> stop() {
    return shutdown();
  }

  /** Closes whatever is open, in reverse order of start; never fails. */
  private Future<Void> shutdown() {
    List<Future<?>> steps = new ArrayList<>();
    HttpServer s = server;
    server = null;
    Future<?> closed = s == null ? Future.succeededFuture() : s.close();
    String fleetId = fleetDeployment;
    fleetDeployment = null;
    // a child deployment goes with its parent's undeploy; a failed start undeploys it here
    Future<?> fleetGone = fleetId == null || !vertx.deploymentIDs().contains(fleetId)
        ? Future.succeededFuture() : vertx.undeploy(fleetId);
    return Future.join(closed, fleetGone).transform(x -> {
      if (producer != null) {
        steps.add(producer.close(config.kafkaTimeoutMs()));
      }
      if (fetcher != null) {
        steps.add(fetcher.close());
      }
      if (loader != null) {
        ProjectionLoader l = loader;
        steps.add(vertx.executeBlocking(() -> {
          l.stop();
          return null;
        }));
      }
      return Future.join(steps).transform(y -> Future.<Void>succeededFuture());
    });
  }
}
