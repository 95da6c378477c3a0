package io.fleetrun.cli;

import io.fleetrun.loadtest.ClosedLoop;
import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.probe.WorkerProbe;
import io.fleetrun.loadtest.soak.SoakCheck;
import io.fleetrun.loadtest.soak.SoakReport;
import io.fleetrun.loadtest.soak.SoakRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetrun loadtest soak}: many short mixed tasks; fails when a worker resource keeps growing. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run many short tasks and fail if the worker leaks.",
        "The tasks mix successes, failures, output-heavy tasks and timeouts (with and without SIGTERM ignored). After"
            + " every --sample-every tasks nothing is in flight, and the worker's open fds, threads, RSS, heap after a"
            + " full GC, zombies and live task processes are read. Each series' least-squares slope per 10,000 tasks"
            + " (samples after the warm-up) must stay within its tolerance; zombies and live task processes must be 0."
            + " Writes soak.md and soak.csv to --out. Exit 0 when nothing leaked and every task ended as its kind"
            + " demands, else 1."})
final class LoadtestSoakCommand implements Callable<Integer> {
  @Option(names = "--tasks", paramLabel = "N", defaultValue = "100000", description = "Tasks in all (default ${DEFAULT-VALUE}).")
  long tasks;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
      description = "Tasks in flight, and the embedded worker's cap (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--sample-every", paramLabel = "N",
      description = "Tasks between two samples (default: --tasks / 50, at least 100).")
  Long sampleEvery;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Samples up to this many tasks are shown but not judged (default: --tasks / 10, but at least"
          + " 2000 or a third of --tasks, whichever is less: a JVM's RSS settles within its first ~2000 tasks).")
  Long warmup;

  @Mixin LoadtestTarget target;

  @Override
  public Integer call() throws Exception {
    target.validate();
    SoakRunner.Plan plan = plan();
    System.out.println("starting " + (target.embedded() ? "an embedded fleet (broker, coordinator JVM, worker)..."
        : "against " + target.coordinator + "..."));
    Fleet fleet = target.open(target.threshold);
    try (fleet) {
      System.out.println(fleet.describe());
      System.out.println(fleet.prepare(concurrency));
      WorkerProbe probe = fleet instanceof EmbeddedFleet ef ? ef.procProbe() : fleet.probe();
      SoakRunner.Result r;
      try (ClosedLoop loop = new ClosedLoop(fleet, "loadtest soak", 90_000)) {
        r = new SoakRunner(loop, probe, System.out).run(plan);
      }
      List<String> context = new ArrayList<>(target.context(fleet));
      context.set(3, "worker figures: " + probe.source() + ", read at each quiet point");
      System.out.println();
      System.out.print(SoakReport.table(r));
      for (Path p : SoakReport.write(r, context, target.out)) {
        System.out.println("wrote " + p);
      }
      List<String> failed = SoakCheck.failed(r.verdicts());
      if (!failed.isEmpty()) {
        System.out.println("SOAK FAILED: leaking series: " + String.join(", ", failed));
      }
      if (!r.mismatches().isEmpty()) {
        System.out.println("SOAK FAILED: tasks that did not end as their kind demands: " + r.mismatches());
      }
      if (r.passed()) {
        System.out.println("soak passed: no series grew beyond its tolerance; every task ended as its kind demands");
      }
      return r.passed() ? 0 : Fleetrun.EXIT_TASKS_FAILED;
    } catch (RuntimeException e) {
      if (fleet instanceof EmbeddedFleet ef && ef.isClosed()) {
        return Fleetrun.EXIT_INTERRUPTED;
      }
      throw e;
    }
  }

  private SoakRunner.Plan plan() {
    if (tasks < 1_000 || tasks > 100_000_000) {
      throw new IllegalArgumentException("--tasks: must be 1000..100000000 (a soak needs enough samples), got " + tasks);
    }
    if (concurrency < 1 || concurrency >= target.threshold) {
      throw new IllegalArgumentException("--concurrency: must be 1.." + (target.threshold - 1)
          + " (below --threshold " + target.threshold + "), got " + concurrency);
    }
    long every = sampleEvery != null ? sampleEvery : Math.max(100, tasks / 50);
    if (every < 20 || every > tasks) {
      throw new IllegalArgumentException("--sample-every: must be 20.." + tasks + ", got " + every);
    }
    long warm = warmup != null ? warmup : Math.max(tasks / 10, Math.min(2_000, tasks / 3));
    if (warm < 0 || warm >= tasks) {
      throw new IllegalArgumentException("--warmup: must be 0.." + (tasks - 1) + ", got " + warm);
    }
    long judged = (tasks - warm) / every;
    if (judged < SoakCheck.MIN_SAMPLES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--sample-every: %d leaves only %d samples after"
          + " the warm-up of %d tasks; at least %d are needed (sample more often or run more tasks)", every, judged, warm,
          SoakCheck.MIN_SAMPLES));
    }
    return new SoakRunner.Plan(tasks, concurrency, every, warm);
  }
}
