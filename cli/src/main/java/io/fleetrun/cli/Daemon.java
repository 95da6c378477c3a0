package io.fleetrun.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running role alive until SIGINT or SIGTERM, then stops it in order: verticles
 * first (a worker stops its children), then whatever else the role opened.
 */
final class Daemon {
  private Daemon() {}

  /** Blocks until the JVM is asked to stop, then closes Vert.x and the others from the shutdown hook. */
  static void runUntilStopped(Vertx vertx, AutoCloseable... others) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("fleetrun: stopping: " + e.getMessage());
      }
      for (AutoCloseable c : others) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("fleetrun: stopping: " + e.getMessage());
        }
      }
      stopped.countDown();
    }, "fleetrun-shutdown"));
    stopped.await();
  }
}
