package io.fleetrun.cli;

import io.fleetrun.loadtest.ClosedLoop;
import io.fleetrun.loadtest.CpuCalibration;
import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.KneeRule;
import io.fleetrun.loadtest.StepList;
import io.fleetrun.loadtest.StepResult;
import io.fleetrun.loadtest.StepRunner;
import io.fleetrun.loadtest.TaskRequest;
import io.fleetrun.loadtest.Units;
import io.fleetrun.loadtest.Workload;
import io.fleetrun.loadtest.probe.ResourceSampler;
import io.fleetrun.loadtest.report.MarkdownReport;
import io.fleetrun.loadtest.report.ReportFiles;
import io.fleetrun.loadtest.report.StepsReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetrun loadtest steps}: one workload at rising concurrency, the knee, three reports. */
@Command(name = "steps", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a workload at a series of concurrency levels and find the knee.",
        "Each step sets the worker's cap to its concurrency (embedded fleet), runs a warm-up, then keeps exactly that"
            + " many tasks in flight for --tasks tasks (or --duration), measuring throughput, submit->start,"
            + " start->end and submit->end latency (HdrHistogram), host CPU and the worker's CPU, RSS, fds, threads,"
            + " zombies and live children (its telemetry). Prints the table and the knee; writes steps-WORKLOAD.md,"
            + " .csv and .png to --out. Exit 0, or 1 when a task did not succeed."})
final class LoadtestStepsCommand implements Callable<Integer> {
  @Option(names = "--workload", paramLabel = "SPEC", defaultValue = "true",
      description = "true, sleep:50ms, cpu:20ms (a calibrated CPU loop in the child), io:1MiB (written to stdout), or"
          + " any shell command (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--steps", paramLabel = "LIST", defaultValue = "1,2,4,8,16,22",
      description = "Concurrency levels: a list and/or ranges, e.g. 1,2,4,8 or 1..22 (default ${DEFAULT-VALUE}).")
  String steps;

  @Option(names = "--tasks", paramLabel = "N", description = "Measured tasks per step (default 300).")
  Long tasks;

  @Option(names = "--duration", paramLabel = "TIME", description = "Measure each step for this long instead (e.g. 20s).")
  String duration;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "-1",
      description = "Unmeasured tasks at the start of each step (default: 2 x the concurrency, at least 10).")
  int warmup;

  @Option(names = "--task-timeout", paramLabel = "TIME", defaultValue = "60s",
      description = "Timeout of every task (default ${DEFAULT-VALUE}).")
  String taskTimeout;

  @Option(names = "--allow-over-threshold",
      description = "Allow steps at or above --threshold, to show what happens past it (the embedded worker's"
          + " threshold is raised for the run; the recommended cap still stays below --threshold).")
  boolean allowOverThreshold;

  @Mixin LoadtestTarget target;

  @Override
  public Integer call() throws Exception {
    List<Integer> levels = StepList.parse(steps);
    Workload w = Workload.parse(workload);
    target.validate();
    StepList.checkThreshold(levels, target.threshold, allowOverThreshold);
    long timeoutMs = checkSizing();
    double perMs = 0;
    if (w.needsCalibration()) {
      perMs = CpuCalibration.iterationsPerCpuMs();
      System.out.println("cpu calibration: " + CpuCalibration.describe(perMs));
    }
    double calibrated = perMs;
    StepRunner.Plan plan = new StepRunner.Plan(levels, TaskRequest.shell(w.command(() -> calibrated), timeoutMs, "step"),
        tasks != null ? tasks : 300, duration == null ? 0 : Units.millis(duration, "--duration"), warmup);
    // past the threshold on purpose: the embedded worker must accept the highest cap
    int workerThreshold = Math.max(target.threshold, levels.get(levels.size() - 1) + 1);
    System.out.println("starting " + (target.embedded() ? "an embedded fleet (broker, coordinator JVM, worker)..."
        : "against " + target.coordinator + "..."));
    Fleet fleet = target.open(workerThreshold);
    try (fleet; ResourceSampler sampler = new ResourceSampler(fleet.probe(), 250)) {
      return run(fleet, sampler, plan, w, perMs);
    } catch (RuntimeException e) {
      if (fleet instanceof EmbeddedFleet ef && ef.isClosed()) {
        return Fleetrun.EXIT_INTERRUPTED; // Ctrl-C: the shutdown hook stopped the fleet under the driver
      }
      throw e;
    }
  }

  private int run(Fleet fleet, ResourceSampler sampler, StepRunner.Plan plan, Workload w, double perMs)
      throws Exception {
    System.out.println(fleet.describe());
    long stallMs = Math.max(60_000, plan.task().timeoutMs() + 30_000);
    List<StepResult> results;
    try (ClosedLoop loop = new ClosedLoop(fleet, "loadtest " + w.spec(), stallMs)) {
      results = new StepRunner(fleet, sampler, loop, System.out).run(plan);
    }
    KneeRule.Result knee = KneeRule.standard().apply(results.stream()
        .map(s -> new KneeRule.Point(s.concurrency(), s.tasksPerSecond(), s.p95())).toList(), target.threshold);
    List<String> context = new ArrayList<>(target.context(fleet));
    context.add("workload: " + w.spec() + " = `" + plan.task().cmd() + "`"
        + (w.needsCalibration() ? " (" + CpuCalibration.describe(perMs) + ", calibrated on this host)" : ""));
    context.add(String.format(Locale.ROOT, "plan: %s per step after a warm-up of %s, task timeout %s; concurrency ="
        + " tasks kept in flight by a closed loop (a finished task is replaced at once, in one batch per refill)",
        plan.durationMs() > 0 ? Units.duration(plan.durationMs()) : plan.tasks() + " tasks",
        plan.warmupPerLevel() >= 0 ? plan.warmupPerLevel() + " tasks" : "2 x concurrency (at least 10) tasks",
        Units.duration(plan.task().timeoutMs())));
    StepsReport report = new StepsReport(w.spec(), context, results, knee, target.threshold);
    System.out.println();
    System.out.print(MarkdownReport.table(report));
    System.out.println();
    System.out.println(knee.summary());
    for (Path p : ReportFiles.write(report, target.out, w.slug())) {
      System.out.println("wrote " + p);
    }
    long notOk = results.stream().mapToLong(StepResult::notSucceeded).sum();
    if (notOk > 0) {
      System.out.println(notOk + " task(s) did not succeed; see the outcomes in the report");
    }
    return notOk == 0 ? 0 : Fleetrun.EXIT_TASKS_FAILED;
  }

  /** Checks --tasks, --duration, --warmup and --task-timeout; returns the task timeout in ms. */
  private long checkSizing() {
    if (tasks != null && duration != null) {
      throw new IllegalArgumentException("--tasks and --duration: give one of them, not both");
    }
    if (tasks != null && (tasks < 1 || tasks > 10_000_000)) {
      throw new IllegalArgumentException("--tasks: must be 1..10000000, got " + tasks);
    }
    if (duration != null) {
      long ms = Units.millis(duration, "--duration");
      if (ms < 100 || ms > 24 * 3_600_000L) {
        throw new IllegalArgumentException("--duration: must be 100ms..24h, got " + duration);
      }
    }
    if (warmup < -1 || warmup > 1_000_000) {
      throw new IllegalArgumentException("--warmup: must be 0..1000000, got " + warmup);
    }
    long timeoutMs = Units.millis(taskTimeout, "--task-timeout");
    if (timeoutMs < 1 || timeoutMs > 604_800_000L) {
      throw new IllegalArgumentException("--task-timeout: must be 1ms..7 days, got " + taskTimeout);
    }
    return timeoutMs;
  }
}
