package io.fleetrun.loadtest.probe;

import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's figures from its own telemetry: the newest {@link WorkerTelemetry} published on
 * {@link Addresses#TELEMETRY} on a Vert.x event bus (embedded mode: the worker's own Vert.x). The
 * worker reads them from /proc and the JVM, so they are exactly what an operator sees.
 *
 * <p>A sample is as old as the worker's telemetry interval at most; samples that repeat a
 * telemetry message carry its time, so a window's CPU average counts each message once.
 * Thread-safe; {@link #close} unsubscribes.
 */
public final class TelemetryProbe implements WorkerProbe, AutoCloseable {
  private final AtomicReference<WorkerTelemetry> latest = new AtomicReference<>();
  /** Spawn latency of every message since the last {@link #takeSpawnStats}, merged on arrival. */
  private final AtomicReference<SpawnStats> spawn = new AtomicReference<>(SpawnStats.NONE);
  private final MessageConsumer<Object> consumer;
  private volatile String workerId;

  /** Listens on {@code vertx}'s event bus; follows no worker until {@link #follow}. */
  public TelemetryProbe(Vertx vertx) {
    this.consumer = vertx.eventBus().consumer(Addresses.TELEMETRY, msg -> {
      if (msg.body() instanceof JsonObject json) {
        WorkerTelemetry t = Json.read(json.toBuffer().getBytes(), WorkerTelemetry.class);
        if (t.workerId().equals(workerId)) {
          latest.set(t);
          WorkerTelemetry.Percentiles sp = t.spawnLatencyMs();
          spawn.updateAndGet(w -> w.plus(sp.count(), sp.p50(), sp.p99(), sp.max()));
        }
      }
    });
  }

  /** From now on only the telemetry of {@code id} counts; what came from another worker is dropped. */
  public void follow(String id) {
    workerId = id;
    latest.set(null);
  }

  /** Waits up to {@code timeoutMs} for a first message (a worker just deployed publishes at once). */
  public boolean awaitFirst(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (latest.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return latest.get() != null;
  }

  /** The newest telemetry message, or null before the first. */
  public WorkerTelemetry latest() {
    return latest.get();
  }

  @Override
  public WorkerSample sample() {
    WorkerTelemetry t = latest.get();
    if (t == null) {
      return new WorkerSample(System.currentTimeMillis(), Double.NaN, -1, -1, -1, -1, -1, -1);
    }
    return new WorkerSample(t.sampledAtMs(), t.processCpuCores(), t.rssBytes(), t.heapUsedBytes(), t.openFds(),
        t.threads(), t.zombies(), t.liveChildren());
  }

  @Override
  public SpawnStats takeSpawnStats() {
    return spawn.getAndSet(SpawnStats.NONE);
  }

  @Override
  public String source() {
    WorkerTelemetry t = latest.get();
    return "worker telemetry on " + Addresses.TELEMETRY + (t == null ? "" : " (worker " + t.workerId() + ", pid "
        + t.pid() + ", every " + t.intervalMs() + " ms)");
  }

  @Override
  public void close() {
    try {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the Vert.x is closing or closed: its event bus drops the consumer anyway
    }
  }
}
