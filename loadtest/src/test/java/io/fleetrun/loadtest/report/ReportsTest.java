package io.fleetrun.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.loadtest.KneeRule;
import io.fleetrun.loadtest.Latencies;
import io.fleetrun.loadtest.StepResult;
import io.fleetrun.loadtest.probe.ResourceSummary;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Markdown table, the CSV and the chart of a synthetic stepped run. */
class ReportsTest {
  @TempDir Path tmp;

  private static StepResult step(int c, double tps, long p95, long rss) {
    Latencies.Summary l = new Latencies.Summary(100, p95 / 2.0, p95 / 2, p95, p95 + 5, p95 + 10);
    ResourceSummary res = new ResourceSummary(12, 55.5, 31.2, rss, 40L << 20, 120, 44, 0, c * 0.9, c,
        new io.fleetrun.loadtest.probe.SpawnStats(100, 2.5, 6, 7));
    return new StepResult(c, 100, c == 4 ? 1 : 0, c == 4 ? Map.of("SUCCEEDED", 99L, "FAILED", 1L) : Map.of("SUCCEEDED", 100L),
        100 / tps, tps, l, l, l, new Latencies.Summary(100, 3, 2, 5, 8, 9), new Latencies.Summary(40, 12.5, 11, 20, 30, 31),
        20.5, res, "worker cap " + c);
  }

  private static StepsReport report() {
    List<StepResult> steps = List.of(step(1, 40, 30, 150L << 20), step(2, 78, 32, 151L << 20),
        step(4, 80, 60, 152L << 20), step(8, 81, 115, 153L << 20));
    KneeRule.Result knee = KneeRule.standard().apply(steps.stream()
        .map(s -> new KneeRule.Point(s.concurrency(), s.tasksPerSecond(), s.p95())).toList(), 23);
    return new StepsReport("cpu:20ms", List.of("2 cores", "embedded fleet"), steps, knee, 23);
  }

  @Test
  void markdownHasOneRowPerStepWithTheKneeMarkedAndItsEvidence() {
    String md = MarkdownReport.render(report());
    List<String> rows = MarkdownReport.table(report()).lines().toList();
    assertEquals(2 + 4, rows.size(), md);
    assertTrue(rows.get(0).startsWith("| concurrency | tasks | tasks/s | avg latency (ms) | p95 latency (ms) | host CPU"), rows.get(0));
    assertEquals("| 2 (knee) | 100 | 78.0 | 16.0 | 32 | 56% | 31% | 151 | 120 | 44 |", rows.get(3));
    assertTrue(md.contains("**knee at concurrency 2: from 2 to 4"), md);
    assertTrue(md.contains("| 2 | 4 | +3% | 0.04 | +88% | knee |"), md);
    assertTrue(md.contains("| 4 | 8 | +1% | 0.02 | +92% | meets the rule too"), md);
  }

  @Test
  void csvHasEveryFigureAndQuotesFieldsWithCommas() {
    List<String> lines = CsvReport.render(report()).lines().toList();
    assertEquals(5, lines.size());
    String[] head = lines.get(0).split(",");
    assertEquals(41, head.length, lines.get(0));
    assertTrue(lines.stream().allMatch(l -> l.split(",", -1).length == 41), lines.toString());
    assertEquals("submit_to_start_p99_ms", head[8]);
    String row4 = lines.get(3);
    assertTrue(row4.startsWith("4,100,1,1.250,80.000,30.000,30,60,65,70,"), row4);
    assertTrue(row4.contains(",2,8,40,12.500,30,20.500,"), row4);
    assertTrue(row4.endsWith(",FAILED=1;SUCCEEDED=99,0,worker cap 4"), row4);
    assertEquals("a,\"b,c\"", "a," + CsvReport.quote("b,c"));
  }

  @Test
  void chartIsAPngOfTheRequestedSize() throws Exception {
    List<Path> files = ReportFiles.write(report(), tmp.resolve("out"), "cpu-20ms");
    assertEquals(List.of("steps-cpu-20ms.md", "steps-cpu-20ms.csv", "steps-cpu-20ms.png"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    BufferedImage img = ImageIO.read(files.get(2).toFile());
    assertEquals(1000, img.getWidth());
    assertEquals(560, img.getHeight());
    assertTrue(Files.size(files.get(2)) > 10_000, "a chart with axes, lines and text is not tiny");
  }

  @Test
  void anOutputDirectoryThatCannotBeWrittenIsRefusedNamingTheOption() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportFiles.checkWritable(file.resolve("sub"), "--out"));
    assertTrue(e.getMessage().startsWith("--out " + file.resolve("sub") + ": cannot write there"), e.getMessage());
  }
}
