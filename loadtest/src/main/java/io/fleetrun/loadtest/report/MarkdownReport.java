package io.fleetrun.loadtest.report;

import io.fleetrun.loadtest.Latencies;
import io.fleetrun.loadtest.StepResult;
import io.fleetrun.loadtest.probe.ResourceSummary;
import java.util.Locale;

/**
 * The human report of a stepped run: the main table (one row per step), the knee with its
 * evidence, and a second table with every latency percentile and the worker's process figures.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** The main table only (also printed on the console). */
  public static String table(StepsReport r) {
    StringBuilder b = new StringBuilder();
    b.append("| concurrency | tasks | tasks/s | avg latency (ms) | p95 latency (ms) | host CPU | worker CPU"
        + " | RSS (MB) | FDs | threads |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (StepResult s : r.steps()) {
      ResourceSummary res = s.resources();
      b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %d | %s | %s | %s | %s | %s |%n",
          s.concurrency() + (r.isKnee(s) ? " (knee)" : ""), s.tasks(), s.tasksPerSecond(), s.submitToEnd().avg(),
          s.submitToEnd().p95(), pct(res.hostCpuPct()), pct(res.workerCpuPct()), mb(res.rssMaxBytes()),
          count(res.fdsMax()), count(res.threadsMax())));
    }
    return b.toString();
  }

  public static String render(StepsReport r) {
    StringBuilder b = new StringBuilder();
    b.append("# fleetrun loadtest steps: ").append(r.title()).append("\n\n");
    r.context().forEach(line -> b.append("- ").append(line).append('\n'));
    b.append('\n').append(table(r)).append('\n');
    b.append("Latency: from the driver's submit to the worker's end of the task. CPU: host in % of all cores,"
        + " worker process in % of one core (average over the step); RSS, FDs and threads: the highest sample.\n\n");
    b.append("**").append(r.knee().summary()).append("**\n\n");
    b.append("Rule: scaling efficiency e = log(T2/T1) / log(c2/c1) is the share of added concurrency that became"
        + " throughput (1 = linear). The knee is the lowest concurrency c whose efficiency up to the first step with at"
        + " least 2c (else the last step, if at least 1.25c) is below 1/3 while p95 latency grows more than 50%, and"
        + " from which no later step scales at 1/3 or more.\n\n");
    b.append("| concurrency | compared with | throughput | efficiency | p95 growth | verdict |\n"
        + "|---:|---:|---:|---:|---:|---|\n");
    r.knee().comparisons().forEach(c -> b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n",
        c.concurrency(), c.reference() == null ? "-" : c.reference(), signed(c.gain()),
        Double.isNaN(c.efficiency()) ? "-" : String.format(Locale.ROOT, "%.2f", c.efficiency()), signed(c.growth()),
        c.reason())));
    b.append("\n## Every figure\n\n");
    b.append("| concurrency | submit→start p50/p95/p99/max (ms) | start→end p50/p95/p99/max | submit→end p50/p95/p99/max"
        + " | worker spawn p50/p99 | end→seen by driver p50/p99 | POST avg/p99 (count) | task CPU (ms)"
        + " | live children avg/max | zombies | heap (MB) | outcomes |\n");
    b.append("|---:|---|---|---|---|---|---|---:|---|---:|---:|---|\n");
    for (StepResult s : r.steps()) {
      ResourceSummary res = s.resources();
      b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s/%s | %s | %s | %s |%n",
          s.concurrency(), pcts(s.submitToStart()), pcts(s.startToEnd()), pcts(s.submitToEnd()),
          res.spawn().count() == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f/%.1f", res.spawn().p50Ms(),
              res.spawn().p99MaxMs()),
          s.endToSeen().count() == 0 ? "n/a" : s.endToSeen().p50() + "/" + s.endToSeen().p99(),
          s.submitCalls().count() == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f/%d (%d)", s.submitCalls().avg(),
              s.submitCalls().p99(), s.submitCalls().count()),
          s.taskCpuMsAvg() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", s.taskCpuMsAvg()),
          res.childrenAvg() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", res.childrenAvg()), count(res.childrenMax()),
          count(res.zombiesMax()), mb(res.heapMaxBytes()), s.outcomes()));
    }
    b.append("\nsubmit→start: the driver's POST sent to the worker's child running (HTTP, coordinator, Kafka, worker,"
        + " spawn). Worker spawn: the part of it from the worker taking a slot to the child running, from the worker's"
        + " telemetry (p50: mean of its 250 ms intervals' medians; p99: the highest interval's). end→seen: the worker's end of a task to the driver reading its result from Kafka. POST: one per refill"
        + " (it carries every task that finished since the previous one). Zombies: the most seen in one sample; a child"
        + " is a zombie for the moment between its exit and the worker reaping it.\n");
    return b.toString();
  }

  private static String pcts(Latencies.Summary l) {
    return l.count() == 0 ? "n/a" : l.p50() + "/" + l.p95() + "/" + l.p99() + "/" + l.max();
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", v);
  }

  static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }

  static String count(int n) {
    return n < 0 ? "n/a" : Integer.toString(n);
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.0f%%", 100 * v);
  }
}
