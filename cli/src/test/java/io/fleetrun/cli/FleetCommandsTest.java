package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code fleetrun top} and {@code cancel} against a real coordinator with a real worker. */
@Timeout(120)
class FleetCommandsTest {
  private record Run(int code, String out, String err) {}

  @BeforeAll
  static void shared() {
    TestKafka.bootstrap();
    new CoordinatorClient("http://127.0.0.1:1", null); // the CLI's one HTTP client lives with the JVM
  }

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return new Run(Fleetrun.run(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void topOncePrintsTheWorkerAndTheRunningBatchAndExitsZero() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      String url = cluster.client().baseUrl();
      String batchId = cluster.client().submit("sleep 3\nsleep 3\nsleep 3\n".getBytes(StandardCharsets.UTF_8), false,
          java.util.Map.of("name", "top-test")).path("batchId").asText();
      Run r = null;
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline) {
        r = run("top", "--once", "--coordinator", url);
        assertEquals(0, r.code(), r.err());
        if (r.out().matches("(?s).*\\ne2e-\\S+\\s+\\S+\\s+up\\s+2/2.*") && r.out().contains(batchId + "  top-test")) {
          break;
        }
        Thread.sleep(300);
      }
      assertTrue(r.out().matches("(?s).*\\ne2e-\\S+\\s+\\S+\\s+up\\s+2/2.*"), "worker row, up, 2 of 2 children:\n" + r.out());
      assertTrue(r.out().contains("WORKER") && r.out().contains("BATCH") && r.out().contains("RUNNING"), r.out());
      assertTrue(r.out().startsWith("fleetrun top  " + url), r.out());
      assertTrue(r.out().contains("workers 1 up, 0 down"), r.out());
      cluster.client().cancel(batchId);
    }
  }

  @Test
  void cancelOfOneTaskWithWatchFollowsThatTaskNotTheWholeBatch() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      String url = cluster.client().baseUrl();
      String batchId = cluster.client().submit("sleep 300\nsleep 300\n".getBytes(StandardCharsets.UTF_8), false,
          java.util.Map.of("name", "cancel-one")).path("batchId").asText();
      long deadline = System.currentTimeMillis() + 30_000;
      while (!cluster.client().task(batchId + ".1").path("state").asText().equals("RUNNING")) {
        assertTrue(System.currentTimeMillis() < deadline, "task 1 never ran");
        Thread.sleep(100);
      }
      long t0 = System.nanoTime();
      Run r = run("cancel", batchId + ".1", "--watch", "--coordinator", url);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Fleetrun.EXIT_TASKS_FAILED, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("task " + batchId + ".1 CANCELLED, signal TERM, cause cancel"), r.out());
      assertTrue(tookMs < 60_000, "returned with its task, not after the other sleep 300: " + tookMs + " ms");
      assertEquals("RUNNING", cluster.client().task(batchId + ".2").path("state").asText(), "the other task runs on");
      cluster.client().cancel(batchId);
    }
  }

  @Test
  void topWithoutACoordinatorExitsThreeAndABadIntervalIsUsage() {
    Run none = run("top", "--once", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_ERROR, none.code());
    assertTrue(none.err().contains("cannot reach the coordinator"), none.err());
    Run bad = run("top", "--interval-ms", "5", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_USAGE, bad.code());
    assertTrue(bad.err().contains("--interval-ms"), bad.err());
  }
}
