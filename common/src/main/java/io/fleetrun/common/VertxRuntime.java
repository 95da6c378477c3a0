package io.fleetrun.common;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Makes the Vert.x instances of fleetrun's roles, with Micrometer metrics (Vert.x and JVM) in a
 * Prometheus registry of their own, and finds that registry again for any Vert.x.
 *
 * <p>Every role registers its own meters in {@link #registry(Vertx)}; {@code /metrics} scrapes the
 * same registry. A Vert.x made elsewhere (a plain {@code Vertx.vertx()} in a test) gets a registry
 * of its own on first use, so verticles never need to know how their Vert.x was made. Thread-safe.
 */
public final class VertxRuntime {
  private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = new WeakHashMap<>();

  private VertxRuntime() {}

  /** Options with Vert.x and JVM metrics on; clustered roles add their cluster manager to these. */
  public static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(true));
  }

  /** A new non-clustered Vert.x with metrics, its registry remembered. */
  public static Vertx create() {
    PrometheusMeterRegistry registry = newRegistry();
    Vertx vertx = Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory(registry)).build();
    remember(vertx, registry);
    return vertx;
  }

  /** A new registry for a Vert.x a caller builds itself (pass it to {@link #remember}). */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Records {@code registry} as the one of {@code vertx}. */
  public static synchronized void remember(Vertx vertx, PrometheusMeterRegistry registry) {
    REGISTRIES.put(vertx, registry);
  }

  /** The registry of {@code vertx}; a new one for a Vert.x made without {@link #create()}. */
  public static synchronized PrometheusMeterRegistry registry(Vertx vertx) {
    return REGISTRIES.computeIfAbsent(vertx, v -> newRegistry());
  }
}
