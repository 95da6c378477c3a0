package io.fleetrun.loadtest;

import io.fleetrun.loadtest.probe.ResourceSampler;
import io.fleetrun.loadtest.probe.ResourceSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a stepped load: for each concurrency, prepares the fleet (embedded: the worker's cap),
 * runs a warm-up that is not measured, then the measured tasks, sampling the worker and the host
 * meanwhile. Blocking; one thread.
 */
public final class StepRunner {
  /** How a step is sized. {@code tasks} per step unless {@code durationMs} > 0. */
  public record Plan(List<Integer> levels, TaskRequest task, long tasks, long durationMs, int warmupPerLevel) {
    /** Warm-up tasks of a step: the given number, or by default twice its concurrency, at least 10. */
    public int warmup(int concurrency) {
      return warmupPerLevel >= 0 ? warmupPerLevel : Math.max(10, 2 * concurrency);
    }
  }

  private final Fleet fleet;
  private final ResourceSampler sampler;
  private final ClosedLoop loop;
  private final PrintStream log;

  public StepRunner(Fleet fleet, ResourceSampler sampler, ClosedLoop loop, PrintStream log) {
    this.fleet = fleet;
    this.sampler = sampler;
    this.loop = loop;
    this.log = log;
  }

  public List<StepResult> run(Plan plan) throws InterruptedException {
    List<StepResult> results = new ArrayList<>();
    for (int c : plan.levels()) {
      results.add(step(plan, c));
    }
    return results;
  }

  StepResult step(Plan plan, int c) throws InterruptedException {
    String note = fleet.prepare(c);
    int warmup = plan.warmup(c);
    if (warmup > 0) {
      loop.run(c, warmup, 0, n -> plan.task(), (done, task, at, seen) -> { });
    }
    Latencies toStart = new Latencies();
    Latencies run = new Latencies();
    Latencies toEnd = new Latencies();
    Latencies seen = new Latencies();
    Latencies posts = new Latencies();
    Map<String, Long> outcomes = new TreeMap<>();
    long[] cpu = new long[2]; // sum of task CPU ms, tasks with CPU accounted
    sampler.begin();
    ClosedLoop.Run r = loop.run(c, plan.durationMs() > 0 ? Long.MAX_VALUE : plan.tasks(), plan.durationMs(),
        n -> plan.task(), new ClosedLoop.Listener() {
          @Override
          public void finished(Completion done, TaskRequest task, long submittedAt, long seenAt) {
            outcomes.merge(done.outcome().name(), 1L, Long::sum);
            if (done.started()) {
              toStart.record(done.startedAtMs() - submittedAt);
              run.record(done.endedAtMs() - done.startedAtMs());
              if (done.cpuMs() >= 0) {
                cpu[0] += done.cpuMs();
                cpu[1]++;
              }
            }
            toEnd.record(done.endedAtMs() - submittedAt);
            seen.record(seenAt - done.endedAtMs());
          }

          @Override
          public void submitted(int tasks, long callMs) {
            posts.record(callMs);
          }
        });
    ResourceSummary res = sampler.end();
    long ok = outcomes.getOrDefault("SUCCEEDED", 0L);
    StepResult s = new StepResult(c, r.finished(), r.finished() - ok, outcomes, r.wallNanos() / 1e9, r.tasksPerSecond(),
        toStart.summary(), run.summary(), toEnd.summary(), seen.summary(), posts.summary(),
        cpu[1] == 0 ? -1 : (double) cpu[0] / cpu[1], res, note);
    log.println(progressLine(s));
    return s;
  }

  /** e.g. {@code concurrency 8: 300 tasks in 3.1s, 96.8 tasks/s, p95 submit-to-end 112 ms, ...}. */
  static String progressLine(StepResult s) {
    return String.format(Locale.ROOT,
        "concurrency %d: %d tasks in %.1fs, %.1f tasks/s, submit->start p50 %d p99 %d ms, start->end p50 %d ms,"
            + " submit->end p95 %d ms, end->seen p50 %d ms, POST avg %.1f ms, host CPU %.0f%%, worker CPU %.0f%%%s",
        s.concurrency(), s.tasks(), s.wallSeconds(), s.tasksPerSecond(), s.submitToStart().p50(),
        s.submitToStart().p99(), s.startToEnd().p50(), s.submitToEnd().p95(), s.endToSeen().p50(), s.submitCalls().avg(),
        s.resources().hostCpuPct(), s.resources().workerCpuPct(),
        s.notSucceeded() > 0 ? ", " + s.notSucceeded() + " NOT SUCCEEDED " + s.outcomes() : "");
  }
}
