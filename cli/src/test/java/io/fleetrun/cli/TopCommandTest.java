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

/** {@code fleetrun top} against a real coordinator whose real worker publishes telemetry. */
@Timeout(120)
class TopCommandTest {
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
  void topWithoutACoordinatorExitsThreeAndABadIntervalIsUsage() {
    Run none = run("top", "--once", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_ERROR, none.code());
    assertTrue(none.err().contains("cannot reach the coordinator"), none.err());
    Run bad = run("top", "--interval-ms", "5", "--coordinator", "http://127.0.0.1:1");
    assertEquals(Fleetrun.EXIT_USAGE, bad.code());
    assertTrue(bad.err().contains("--interval-ms"), bad.err());
  }
}
