package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.fleetrun.loadtest.KneeRule;
import io.fleetrun.loadtest.report.StepsChart;
import io.fleetrun.loadtest.report.StepsReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadtest steps --coordinator URL} against a running fleet (coordinator and a worker of
 * cap 3 on the shared test broker): caps are not set but reported, finished tasks come from the
 * results topic or, without {@code --bootstrap}, from polling the API, and the worker's figures
 * from the coordinator's fleet table.
 */
@Timeout(180)
@ExtendWith(LeakGuard.class)
class LoadtestRemoteTest {
  private TestCluster cluster;
  @TempDir Path tmp;

  @BeforeAll
  static void sharedResources() {
    TestKafka.bootstrap();
    new CoordinatorClient("http://127.0.0.1:1", null);
    // Java2D starts a disposer thread on first drawing and keeps it for the JVM's life
    StepsChart.chart(new StepsReport("warm-up", List.of(), List.of(), KneeRule.standard().apply(List.of(), 23), 23))
        .createBufferedImage(200, 100);
  }

  @BeforeEach
  void startFleet() throws Exception {
    cluster = new TestCluster(3);
    // the fleet table knows a worker from its first telemetry, published about a second after its start
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (cluster.client().fleet().path("totals").path("up").asInt() < 1) {
      assertTrue(System.nanoTime() < deadline, "the worker never appeared in GET /v1/fleet");
      Thread.sleep(100);
    }
  }

  @AfterEach
  void stopFleet() throws Exception {
    cluster.close();
  }

  private static String run(int expectedCode, String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Fleetrun.run(args);
    } finally {
      System.setOut(saved);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedCode, code, text);
    return text;
  }

  private static List<String> rows(Path csv) throws Exception {
    return Files.readAllLines(csv).stream().skip(1).toList();
  }

  @Test
  void stepsAgainstARunningFleetReadResultsFromKafkaAndSayTheCapsWereNotSet() throws Exception {
    String url = cluster.client().baseUrl();
    String out = run(0, "loadtest", "steps", "--coordinator", url, "--bootstrap", cluster.bootstrap,
        "--workload", "true", "--steps", "2,4", "--tasks", "20", "--out", tmp.toString());
    assertTrue(out.contains("remote: coordinator " + url + ", finished tasks from the results topic"), out);
    List<String> rows = rows(tmp.resolve("steps-true.csv"));
    assertEquals(2, rows.size());
    assertTrue(rows.get(0).startsWith("2,20,0,"), rows.get(0));
    assertTrue(rows.get(0).endsWith(",\"2 tasks kept in flight; caps not set (remote fleet: 1 worker(s) up, total cap 3)\""),
        rows.get(0));
    assertTrue(rows.get(1).endsWith("OVER the cap: tasks wait in the queue)\""), rows.get(1));
    String md = Files.readString(tmp.resolve("steps-true.md"));
    assertTrue(md.contains("worker figures: GET " + url + "/v1/fleet: totals of the workers UP (1 seen)"), md);
    // 20 tasks a step are noise: the knee rule may well mark this row "2 (knee)"
    assertTrue(md.lines().anyMatch(l -> l.matches("\\| 2( \\(knee\\))? \\| 20 \\|.*") && !l.contains("n/a")), md);
  }

  @Test
  void withoutKafkaTheDriverPollsTheApiForFinishedTasks() throws Exception {
    String out = run(0, "loadtest", "steps", "--coordinator", cluster.client().baseUrl(), "--workload", "sleep:10ms",
        "--steps", "3", "--tasks", "15", "--warmup", "3", "--out", tmp.toString());
    assertTrue(out.contains("finished tasks from polling its API every 20 ms"), out);
    List<String> rows = rows(tmp.resolve("steps-sleep-10ms.csv"));
    String[] cells = rows.get(0).split(",");
    assertEquals("15", cells[1]);
    assertEquals("0", cells[2]);
    assertTrue(Long.parseLong(cells[11]) >= 10, "start-to-end p50 of a 10 ms sleep: " + rows.get(0));
  }
}
