package io.fleetrun.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running role alive until SIGINT or SIGTERM, then closes its Vert.x (a worker
 * verticle stops its children first) from the shutdown hook, and ends the JVM with exit code 0
 * when that went cleanly (a service manager reads a stop it asked for as success), 3 when not.
 */
final class Daemon {
  private Daemon() {}

  /** Blocks until the JVM is asked to stop; the hook closes {@code vertx} before the JVM exits. */
  static void runUntilStopped(Vertx vertx, String role) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("fleetrun: stopping the " + role);
      int exit = 0;
      try {
        vertx.close().await(60, TimeUnit.SECONDS);
        System.err.println("fleetrun: " + role + " stopped");
      } catch (Exception e) {
        System.err.println("fleetrun: stopping the " + role + ": " + e.getMessage());
        exit = Fleetrun.EXIT_ERROR;
      }
      stopped.countDown();
      // the JVM would exit 128 + the signal; everything is closed, so end it with the real verdict
      Runtime.getRuntime().halt(exit);
    }, "fleetrun-shutdown"));
    stopped.await();
  }
}
