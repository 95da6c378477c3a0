package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code fleetrun top} and {@code cancel} against a real coordinator with a real worker. */
@Timeout(120)
class FleetCommandsTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Submits shell commands, one per line, as a named batch; returns its id. */
  private static String submitText(TestCluster cluster, String lines, String name) {
    return cluster.client().submit(lines.getBytes(StandardCharsets.UTF_8), false, Map.of("name", name))
        .path("batchId").asText();
  }

  @Test
  void topOncePrintsTheWorkerAndTheRunningBatchAndExitsZero() throws Exception {
    try (TestCluster cluster = new TestCluster(2)) {
      String url = cluster.client().baseUrl();
      String batchId = submitText(cluster, "sleep 3\nsleep 3\nsleep 3\n", "top-test");
      CliRun r = null;
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
      String batchId = submitText(cluster, "sleep 300\nsleep 300\n", "cancel-one");
      long deadline = System.currentTimeMillis() + 30_000;
      while (!cluster.client().task(batchId + ".1").path("state").asText().equals("RUNNING")) {
        assertTrue(System.currentTimeMillis() < deadline, "task 1 never ran");
        Thread.sleep(100);
      }
      long t0 = System.nanoTime();
      CliRun r = run("cancel", batchId + ".1", "--watch", "--coordinator", url);
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
    CliRun none = run("top", "--once", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_ERROR, none.code());
    assertTrue(none.err().contains("cannot reach the coordinator"), none.err());
    CliRun bad = run("top", "--interval-ms", "5", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_USAGE, bad.code());
    assertTrue(bad.err().contains("--interval-ms"), bad.err());
  }
}
