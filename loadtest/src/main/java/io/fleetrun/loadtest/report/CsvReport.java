package io.fleetrun.loadtest.report;

import io.fleetrun.loadtest.Latencies;
import io.fleetrun.loadtest.StepResult;
import io.fleetrun.loadtest.probe.ResourceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every figure of a stepped run, one row per step. Times in ms, sizes in bytes, CPU in percent;
 * unknown values are empty cells.
 */
public final class CsvReport {
  private static final String[] LATENCIES = {"submit_to_start", "start_to_end", "submit_to_end"};

  private CsvReport() {}

  public static String render(StepsReport r) {
    List<String> head = new ArrayList<>(List.of("concurrency", "tasks", "not_succeeded", "wall_s", "tasks_per_s"));
    for (String l : LATENCIES) {
      for (String f : List.of("avg", "p50", "p95", "p99", "max")) {
        head.add(l + "_" + f + "_ms");
      }
    }
    head.addAll(List.of("end_to_seen_p50_ms", "end_to_seen_p99_ms", "submit_posts", "submit_post_avg_ms",
        "submit_post_p99_ms", "task_cpu_avg_ms", "host_cpu_pct", "worker_cpu_pct", "worker_rss_max_bytes",
        "worker_heap_max_bytes", "worker_fds_max", "worker_threads_max", "worker_zombies_max", "live_children_avg",
        "live_children_max", "worker_spawn_p50_ms", "worker_spawn_p99_max_ms", "samples", "outcomes", "knee", "note"));
    StringBuilder b = new StringBuilder(String.join(",", head)).append('\n');
    for (StepResult s : r.steps()) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(s.concurrency()), Long.toString(s.tasks()),
          Long.toString(s.notSucceeded()), num(s.wallSeconds()), num(s.tasksPerSecond())));
      for (Latencies.Summary l : List.of(s.submitToStart(), s.startToEnd(), s.submitToEnd())) {
        row.addAll(l.count() == 0 ? List.of("", "", "", "", "")
            : List.of(num(l.avg()), Long.toString(l.p50()), Long.toString(l.p95()), Long.toString(l.p99()),
                Long.toString(l.max())));
      }
      ResourceSummary res = s.resources();
      Latencies.Summary seen = s.endToSeen();
      Latencies.Summary post = s.submitCalls();
      row.addAll(seen.count() == 0 ? List.of("", "") : List.of(Long.toString(seen.p50()), Long.toString(seen.p99())));
      row.addAll(post.count() == 0 ? List.of("0", "", "")
          : List.of(Long.toString(post.count()), num(post.avg()), Long.toString(post.p99())));
      row.addAll(List.of(s.taskCpuMsAvg() < 0 ? "" : num(s.taskCpuMsAvg()), num(res.hostCpuPct()), num(res.workerCpuPct()), n(res.rssMaxBytes()),
          n(res.heapMaxBytes()), n(res.fdsMax()), n(res.threadsMax()), n(res.zombiesMax()),
          res.childrenAvg() < 0 ? "" : num(res.childrenAvg()), n(res.childrenMax()),
          res.spawn().count() == 0 ? "" : num(res.spawn().p50Ms()), res.spawn().count() == 0 ? "" : num(res.spawn().p99MaxMs()),
          Integer.toString(res.samples()),
          quote(s.outcomes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(";"))),
          r.isKnee(s) ? "1" : "0", quote(s.note())));
      b.append(String.join(",", row)).append('\n');
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String n(long v) {
    return v < 0 ? "" : Long.toString(v);
  }

  static String quote(String s) {
    if (s == null) {
      return "";
    }
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
