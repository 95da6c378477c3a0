package io.fleetrun.loadtest.soak;

import io.fleetrun.loadtest.ClosedLoop;
import io.fleetrun.loadtest.Completion;
import io.fleetrun.loadtest.TaskRequest;
import io.fleetrun.loadtest.probe.WorkerProbe;
import io.fleetrun.loadtest.probe.WorkerSample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a soak: {@code tasks} tasks of the {@link SoakMix} with {@code concurrency} in flight, in
 * rounds of {@code sampleEvery}; after each round nothing is in flight (a quiet point) and the
 * worker is sampled: fds, threads, RSS, heap after a full GC, zombies, live task processes.
 * Blocking; one thread.
 */
public final class SoakRunner {
  /**
   * @param warmupTasks samples up to this many tasks are reported but not judged
   */
  public record Plan(long tasks, int concurrency, long sampleEvery, long warmupTasks) {}

  /**
   * What a soak saw.
   *
   * @param mismatches tasks whose outcome was not the one their kind must end with, by "KIND: OUTCOME"
   */
  public record Result(Plan plan, List<SoakSample> samples, List<SoakCheck.Verdict> verdicts,
      Map<String, Long> outcomes, Map<String, Long> mismatches, double seconds) {

    public boolean passed() {
      return SoakCheck.failed(verdicts).isEmpty() && mismatches.isEmpty();
    }
  }

  private final ClosedLoop loop;
  private final WorkerProbe probe;
  private final PrintStream log;

  public SoakRunner(ClosedLoop loop, WorkerProbe probe, PrintStream log) {
    this.loop = loop;
    this.probe = probe;
    this.log = log;
  }

  public Result run(Plan plan) throws InterruptedException {
    List<SoakSample> samples = new ArrayList<>();
    Map<String, Long> outcomes = new TreeMap<>();
    Map<String, Long> mismatches = new TreeMap<>();
    long t0 = System.nanoTime();
    samples.add(sample(0));
    long done = 0;
    long lastLog = t0;
    while (done < plan.tasks()) {
      long round = Math.min(plan.sampleEvery(), plan.tasks() - done);
      long offset = done;
      ClosedLoop.Run r = loop.run(plan.concurrency(), round, 0, n -> SoakMix.task(offset + n),
          (c, task, at, seen) -> count(c, task, outcomes, mismatches));
      done += r.finished();
      samples.add(sample(done));
      if (System.nanoTime() - lastLog > 10_000_000_000L || done == plan.tasks()) {
        lastLog = System.nanoTime();
        log.println(progress(done, plan.tasks(), samples.get(samples.size() - 1), (lastLog - t0) / 1e9));
      }
    }
    List<SoakCheck.Verdict> verdicts = SoakCheck.judge(samples, plan.warmupTasks());
    return new Result(plan, samples, verdicts, outcomes, mismatches, (System.nanoTime() - t0) / 1e9);
  }

  private static void count(Completion c, TaskRequest task, Map<String, Long> outcomes, Map<String, Long> mismatches) {
    outcomes.merge(c.outcome().name(), 1L, Long::sum);
    SoakMix.Kind kind = SoakMix.Kind.valueOf(task.label());
    if (c.outcome() != kind.expected()) {
      mismatches.merge(kind + ": " + c.outcome(), 1L, Long::sum);
    }
  }

  private SoakSample sample(long tasks) {
    long heap = probe.heapAfterGc(); // first: the GC also lets cleaners close what only garbage held
    WorkerSample w = probe.sample();
    return new SoakSample(tasks, w.atMs(), w.openFds(), w.threads(), w.rssBytes(), heap, w.zombies(), w.liveChildren(),
        probe.heapCommittedBytes());
  }

  private static String progress(long done, long total, SoakSample s, double secs) {
    return String.format(Locale.ROOT, "[%.0fs] %d/%d tasks, %.0f tasks/s: fds %d, threads %d, RSS %.0f MB, heap after GC"
        + " %s, zombies %d, task processes %d", secs, done, total, done / Math.max(secs, 0.001), s.fds(), s.threads(),
        s.rssBytes() / 1048576.0, s.heapAfterGcBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB",
            s.heapAfterGcBytes() / 1048576.0), s.zombies(), s.taskProcesses());
  }
}
