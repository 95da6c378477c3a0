package io.fleetrun.common.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback address, for a broker started with port 0.
 *
 * <p>A port is free when asked, not guaranteed free when the broker binds it: callers retry on a
 * bind failure.
 */
final class FreePorts {
  private FreePorts() {}

  static int pick() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }

  static int pickOtherThan(int taken) {
    for (;;) {
      int p = pick();
      if (p != taken) {
        return p;
      }
    }
  }

  /**
   * Fails when {@code port} cannot be bound on 127.0.0.1 now: something else listening there would
   * answer the readiness probe in the broker's place.
   */
  static void requireFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; pick another"
          + " port for the Kafka broker or 0 for a free one");
    }
  }
}
