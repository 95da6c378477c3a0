package io.fleetrun.loadtest.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A soak's verdicts as Markdown (also printed) and every sample as CSV. */
public final class SoakReport {
  private SoakReport() {}

  /** The verdict table: one row per series. */
  public static String table(SoakRunner.Result r) {
    StringBuilder b = new StringBuilder();
    b.append("| series | start | end | max | slope per 10k tasks | tolerance per 10k | verdict |\n");
    b.append("|---|---:|---:|---:|---:|---:|---|\n");
    for (SoakCheck.Verdict v : r.verdicts()) {
      Series s = v.series();
      b.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %s | %s |%n", s.label(),
          s.unit() == 1 ? "" : " (MiB)", val(v.start(), s), val(v.end(), s), val(v.max(), s),
          s.mustStayZero() ? "-" : val(v.slopePer10k(), s), !s.judged() ? "-" : s.mustStayZero() ? "0 at every sample"
              : SoakCheck.fmt(s.tolerancePer10k() / s.unit()),
          (!s.judged() ? "" : v.ok() ? "ok: " : "LEAK: ") + v.reason()));
    }
    return b.toString();
  }

  public static String render(SoakRunner.Result r, List<String> context) {
    StringBuilder b = new StringBuilder("# fleetrun loadtest soak\n\n");
    context.forEach(line -> b.append("- ").append(line).append('\n'));
    SoakRunner.Plan p = r.plan();
    b.append(String.format(Locale.ROOT, "- %d tasks, %d in flight, sampled at a quiet point every %d tasks; samples up"
        + " to %d tasks are warm-up (shown, not judged); %.0f s, %.0f tasks/s%n", p.tasks(), p.concurrency(),
        p.sampleEvery(), p.warmupTasks(), r.seconds(), p.tasks() / Math.max(r.seconds(), 0.001)));
    b.append("- outcomes: ").append(r.outcomes()).append('\n');
    b.append("- outcomes not as their task kind demands: ").append(r.mismatches().isEmpty() ? "none" : r.mismatches())
        .append("\n\n");
    b.append(table(r)).append('\n');
    List<String> failed = SoakCheck.failed(r.verdicts());
    b.append(r.passed() ? "**PASSED**: no series grew beyond its tolerance.\n"
        : "**FAILED**: " + (failed.isEmpty() ? "" : "leaking series: " + String.join(", ", failed) + ". ")
            + (r.mismatches().isEmpty() ? "" : "tasks ended with the wrong outcome: " + r.mismatches()) + "\n");
    return b.toString();
  }

  public static String csv(SoakRunner.Result r) {
    StringBuilder b = new StringBuilder(
        "tasks,at_ms,fds,threads,rss_bytes,heap_after_gc_bytes,zombies,task_processes,heap_committed_bytes\n");
    for (SoakSample s : r.samples()) {
      b.append(s.tasks()).append(',').append(s.atMs()).append(',').append(s.fds()).append(',').append(s.threads())
          .append(',').append(s.rssBytes()).append(',').append(s.heapAfterGcBytes()).append(',').append(s.zombies())
          .append(',').append(s.taskProcesses()).append(',').append(s.heapCommittedBytes()).append('\n');
    }
    return b.toString();
  }

  /** Writes {@code soak.md} and {@code soak.csv} into {@code dir}; returns both paths. */
  public static List<Path> write(SoakRunner.Result r, List<String> context, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve("soak.md");
    Path csv = dir.resolve("soak.csv");
    Files.writeString(md, render(r, context), StandardCharsets.UTF_8);
    Files.writeString(csv, csv(r), StandardCharsets.UTF_8);
    return List.of(md, csv);
  }

  private static String val(double v, Series s) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String text = s.unit() == 1 ? String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "")
        : String.format(Locale.ROOT, "%.2f", v / s.unit());
    return text.matches("-0(\\.0+)?") ? text.substring(1) : text; // no "-0" for a tiny negative slope
  }
}
