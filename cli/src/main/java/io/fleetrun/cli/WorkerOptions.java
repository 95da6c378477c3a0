package io.fleetrun.cli;

import io.fleetrun.worker.WorkerConfig;
import io.fleetrun.worker.process.Containment;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Worker settings on the command line; validated by {@link WorkerConfig#validate()}. */
final class WorkerOptions {
  /** Reads auto, cgroup, cgroup-v1 or pgroup with {@link Containment#parse}'s message on anything else. */
  static final class ContainmentConverter implements ITypeConverter<Containment> {
    @Override
    public Containment convert(String value) {
      return Containment.parse(value);
    }
  }

  @Option(names = "--bootstrap", defaultValue = "${env:FLEETRUN_BOOTSTRAP:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (env FLEETRUN_BOOTSTRAP; default ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--max-children", paramLabel = "N",
      description = "Cap on live task trees (default: 2 x cores, at least 2, always below --threshold).")
  Integer maxChildren;

  @Option(names = "--threshold", paramLabel = "N", defaultValue = "23",
      description = "This node's knee; the cap must stay below it (default ${DEFAULT-VALUE}).")
  int threshold;

  @Option(names = "--worker-id", description = "Name in results and telemetry (default host-pid).")
  String workerId;

  @Option(names = "--prefetch", paramLabel = "N", defaultValue = "0",
      description = "Task records held beyond the running ones while every slot is busy (default 256, or 4 x the cap when larger).")
  int prefetch;

  @Option(names = "--min-free-memory", paramLabel = "BYTES", defaultValue = "-1",
      description = "Start no new task while the host's available memory is below this (default 268435456 = 256 MiB; 0: never).")
  long minFreeMemory;

  @Option(names = "--containment", paramLabel = "MODE", defaultValue = "auto",
      converter = ContainmentConverter.class,
      description = "How a task's processes are held and killed: cgroup (a cgroup per task: every descendant"
          + " killed at once, setsid or not; cgroup v2 with cgroup.kill, else the v1 freezer; memory and pids"
          + " limits enforced by the kernel where cgroup v1 memory/pids exist), cgroup-v1 (the v1 freezer even"
          + " where v2 is usable), pgroup (a process group per task, the worker as subreaper; limits sampled"
          + " from /proc), or auto (cgroup where the host allows it, else pgroup; default). The worker logs"
          + " which one it uses.")
  Containment containment;

  @Option(names = "--unhealthy-after", paramLabel = "N", defaultValue = "5",
      description = "After N spawns in a row fail for a reason of this host (no fds, memory, process slots or cgroup),"
          + " leave the group so tasks go to healthy workers, and rejoin once a probe spawn works (default ${DEFAULT-VALUE}).")
  int unhealthyAfter;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
      description = "Port of this worker's Prometheus endpoint GET /metrics (0: a free port, logged and published"
          + " in its telemetry; -1: none; default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = WorkerConfig.DEFAULT_METRICS_HOST,
      description = "Address of the metrics endpoint (default ${DEFAULT-VALUE}; 0.0.0.0 lets Prometheus on another host scrape it).")
  String metricsHost;

  @Option(names = "--telemetry-interval", paramLabel = "MS", defaultValue = "1000",
      description = "How often the worker publishes its telemetry on the event bus (default ${DEFAULT-VALUE} ms).")
  long telemetryIntervalMs;

  WorkerConfig config() {
    int cap = maxChildren != null ? maxChildren
        : WorkerConfig.defaultCap(Runtime.getRuntime().availableProcessors(), threshold);
    return new WorkerConfig(bootstrap, workerId, null, cap, threshold, prefetch, minFreeMemory, containment,
        unhealthyAfter, telemetryIntervalMs, metricsHost, metricsPort).validate();
  }
}
