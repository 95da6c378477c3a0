package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.loadtest.KneeRule;
import io.fleetrun.loadtest.report.StepsChart;
import io.fleetrun.loadtest.report.StepsReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetrun loadtest steps|soak} run in-process against a real embedded fleet (the shared
 * test broker, a coordinator JVM, a worker in this JVM): reports written, figures measured, a
 * short soak passes; and bad options are refused before any fleet starts.
 */
@Timeout(240)
@ExtendWith(LeakGuard.class)
class LoadtestCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void sharedResources() {
    TestKafka.bootstrap();
    new CoordinatorClient("http://127.0.0.1:1", null); // the CLI's one HTTP client lives with the JVM
    // Java2D starts a disposer thread on first drawing and keeps it for the JVM's life
    StepsChart.chart(new StepsReport("warm-up", List.of(), List.of(), KneeRule.standard().apply(List.of(), 23), 23))
        .createBufferedImage(200, 100);
  }

  @AfterAll
  static void nothingLeft() {
    assertEquals(0, ChildProcesses.zombies(), "zombie children of the test JVM");
    assertEquals(0, ChildProcesses.liveTaskRoots(), "task trees still alive");
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** The CSV as one map per row, by column name. */
  private static List<Map<String, String>> csv(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    String[] head = lines.get(0).split(",");
    return lines.stream().skip(1).map(l -> {
      String[] cells = l.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < head.length; i++) {
        row.put(head[i], cells[i]);
      }
      return row;
    }).toList();
  }

  @Test
  void stepsOnAnEmbeddedFleetPrintTheTableAndWriteMeasuredMarkdownCsvAndChart() throws Exception {
    Path out = tmp.resolve("reports");
    CliRun r = run("loadtest", "steps", "--workload", "sleep:20ms", "--steps", "1,3", "--tasks", "30",
        "--bootstrap", TestKafka.bootstrap(), "--out", out.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("| concurrency | tasks | tasks/s | avg latency (ms) | p95 latency (ms)"), r.out());
    assertTrue(r.out().contains("no knee up to concurrency 3") || r.out().contains("knee at concurrency"), r.out());

    List<Map<String, String>> rows = csv(out.resolve("steps-sleep-20ms.csv"));
    assertEquals(List.of("1", "3"), rows.stream().map(m -> m.get("concurrency")).toList());
    for (Map<String, String> row : rows) {
      assertEquals("30", row.get("tasks"), row.toString());
      assertEquals("0", row.get("not_succeeded"), row.toString());
      assertTrue(Double.parseDouble(row.get("tasks_per_s")) > 0, row.toString());
      // a 20 ms sleep runs at least 20 ms, and submit-to-end covers start-to-end
      assertTrue(Long.parseLong(row.get("start_to_end_p50_ms")) >= 20, row.toString());
      assertTrue(Long.parseLong(row.get("submit_to_end_p50_ms")) >= Long.parseLong(row.get("start_to_end_p50_ms")), row.toString());
      // the worker's own figures, from its telemetry: this JVM is bigger than 10 MB and has threads and fds
      assertTrue(Long.parseLong(row.get("worker_rss_max_bytes")) > 10 << 20, row.toString());
      assertTrue(Integer.parseInt(row.get("worker_threads_max")) > 10, row.toString());
      assertTrue(Integer.parseInt(row.get("worker_fds_max")) > 10, row.toString());
      assertTrue(Double.parseDouble(row.get("host_cpu_pct")) > 0, row.toString());
    }
    // with three in flight, the worker ran more than one child at a time
    assertTrue(Integer.parseInt(rows.get(1).get("live_children_max")) >= 2, rows.get(1).toString());
    assertEquals("worker cap 3 (threshold 23)", rows.get(1).get("note"));

    String md = Files.readString(out.resolve("steps-sleep-20ms.md"));
    assertTrue(md.contains("worker figures: worker telemetry on fleetrun.telemetry"), md);
    assertTrue(md.contains("| 3 | 30 |") || md.contains("| 3 (knee) | 30 |"), md);
    BufferedImage chart = ImageIO.read(out.resolve("steps-sleep-20ms.png").toFile());
    assertEquals(1000, chart.getWidth());
  }

  @Test
  void aShortSoakOfARealEmbeddedFleetPassesAndSamplesEveryQuietPoint() throws Exception {
    Path out = tmp.resolve("soak");
    CliRun r = run("loadtest", "soak", "--tasks", "2000", "--sample-every", "100", "--warmup", "700",
        "--bootstrap", TestKafka.bootstrap(), "--out", out.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("soak passed"), r.out());
    String md = Files.readString(out.resolve("soak.md"));
    assertTrue(md.contains("**PASSED**"), md);
    assertTrue(md.contains("outcomes not as their task kind demands: none"), md);
    for (String series : List.of("fds", "threads", "rss (MiB)", "rss_outside_heap (MiB)", "heap_after_gc (MiB)", "zombies",
        "task_processes")) {
      assertTrue(md.contains("| " + series + " |"), series + " missing:\n" + md);
    }
    List<String> samples = Files.readAllLines(out.resolve("soak.csv"));
    assertEquals(1 + 21, samples.size(), samples.toString()); // at 0 tasks and after every 100
    String[] last = samples.get(samples.size() - 1).split(",");
    assertEquals("2000", last[0]);
    assertTrue(Long.parseLong(last[5]) > 0, "heap after GC measured: " + Arrays.toString(last));
  }

  @Test
  void badOptionsAreRefusedNamingTheOptionBeforeAnyFleetStarts() {
    Object[][] cases = {
        {new String[] {"steps", "--steps", "0,2"}, "--steps: concurrency 0 is out of range"},
        {new String[] {"steps", "--steps", "1,24"}, "--steps: concurrency 24 is at or over the threshold 23"},
        {new String[] {"steps", "--workload", "sleep:5"}, "--workload sleep:5: '5' needs a unit"},
        {new String[] {"steps", "--tasks", "5", "--duration", "2s"}, "--tasks and --duration: give one of them"},
        {new String[] {"steps", "--tasks", "0"}, "--tasks: must be 1..10000000, got 0"},
        {new String[] {"steps", "--task-timeout", "soon"}, "--task-timeout: not a duration"},
        {new String[] {"steps", "--worker-pid", "1"}, "--worker-pid: only with --coordinator"},
        {new String[] {"steps", "--threshold", "1"}, "--threshold: must be 2..10000, got 1"},
        {new String[] {"soak", "--concurrency", "23"}, "--concurrency: must be 1..22 (below --threshold 23), got 23"},
        {new String[] {"soak", "--tasks", "1000", "--sample-every", "500"}, "--sample-every: 500 leaves only 1 samples"},
        {new String[] {"soak", "--tasks", "10"}, "--tasks: must be 1000..100000000"},
    };
    for (Object[] c : cases) {
      String[] args = (String[]) c[0];
      String[] full = new String[args.length + 3];
      full[0] = "loadtest";
      System.arraycopy(args, 0, full, 1, args.length);
      full[full.length - 2] = "--out";
      full[full.length - 1] = tmp.resolve("never").toString();
      CliRun r = run(full);
      assertEquals(Fleetrun.EXIT_USAGE, r.code(), String.join(" ", full) + "\n" + r.out() + r.err());
      assertTrue(r.err().contains("fleetrun: " + c[1]), String.join(" ", full) + " said: " + r.err());
      assertTrue(!r.out().contains("starting"), "no fleet for " + String.join(" ", full) + ": " + r.out());
    }
  }
}
