package io.fleetrun.common.kafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * Waits until a freshly started broker process serves requests, or explains why it never will.
 *
 * <p>Blocking; used only by {@link EmbeddedBroker#start}.
 */
final class BrokerReadiness {
  private static final int LOG_TAIL_BYTES = 6000;

  /** The broker could not bind a port: worth a retry when the port was picked as free. */
  static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }

  private BrokerReadiness() {}

  /**
   * Returns once the broker at 127.0.0.1:{@code port} answers a describe-cluster request.
   *
   * @throws PortTakenException if the process exited because a port was in use
   * @throws IllegalStateException if the process exited otherwise or the deadline passed
   */
  static void await(Process process, int port, Path log, long deadlineNanos) {
    // A cheap TCP probe first: the client listener opens only at the end of the broker's start,
    // and an admin client created earlier would log a warning per refused connection.
    while (!accepts(port)) {
      checkAlive(process, log);
      checkDeadline(deadlineNanos, log);
      sleep(100);
    }
    try (Admin admin = Admin.create(KafkaClients.admin("127.0.0.1:" + port))) {
      for (;;) {
        checkAlive(process, log);
        checkDeadline(deadlineNanos, log);
        try {
          Collection<Node> nodes = admin.describeCluster().nodes().get(1, TimeUnit.SECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not ready yet: ask again until the deadline
        }
        sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void checkAlive(Process process, Path log) {
    if (process.isAlive()) {
      return;
    }
    int status = exitStatus(process);
    String tail = tail(log);
    String message = "Kafka broker exited with status " + status + " before it was ready; end of "
        + log + ":\n" + tail;
    if (tail.contains("Address already in use") || tail.contains("BindException")) {
      throw new PortTakenException(message);
    }
    throw new IllegalStateException(message);
  }

  private static void checkDeadline(long deadlineNanos, Path log) {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new IllegalStateException(
          "Kafka broker not ready in time; end of " + log + ":\n" + tail(log));
    }
  }

  private static int exitStatus(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last few kilobytes of the broker log, from a line start. */
  static String tail(Path log) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
      byte[] buf = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(buf);
      String s = new String(buf, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return start > 0 && nl >= 0 ? s.substring(nl + 1) : s;
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    }
  }
}
