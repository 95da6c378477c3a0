package io.fleetrun.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running role alive until SIGINT or SIGTERM, then closes its Vert.x (a worker
 * verticle stops its children first) from the shutdown hook.
 */
final class Daemon {
  private Daemon() {}

  /** Blocks until the JVM is asked to stop; the hook closes {@code vertx} before the JVM exits. */
  static void runUntilStopped(Vertx vertx) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("fleetrun: stopping: " + e.getMessage());
      }
      stopped.countDown();
    }, "fleetrun-shutdown"));
    stopped.await();
  }
}
