package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.coordinator.ApiException;
import io.fleetrun.coordinator.BatchCheck;
import io.fleetrun.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The main job: broker, coordinator and workers in one command, one batch run to its end.
 * Everything started here stops when the command ends, including the broker's own JVM.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {"Run a batch on this machine, broker and all, and exit 0 only if every task succeeded.",
        "Starts a Kafka broker (its own JVM), a coordinator and worker(s), submits FILE, shows progress, "
            + "then prints a summary with the stderr tails of the tasks that did not succeed."})
final class LocalCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "Batch file: JSON, or one shell command per line (- for stdin).")
  Path file;

  @Option(names = "--workers", defaultValue = "1", description = "Worker verticles to start (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--max-children", paramLabel = "N",
      description = "Cap per worker on live task trees (default: 2 x cores, at least 2, below --threshold).")
  Integer maxChildren;

  @Option(names = "--threshold", defaultValue = "23", description = "Node knee; caps stay below it (default ${DEFAULT-VALUE}).")
  int threshold;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Keep Kafka data here across runs (default: a fresh temporary directory, removed at exit).")
  Path dataDir;

  @Option(names = "--port", defaultValue = "0", description = "Coordinator HTTP port on 127.0.0.1 (default: a free port).")
  int port;

  @Mixin BatchOptions batchOptions = new BatchOptions();

  @Option(names = "--keep-running", description = "Keep the cluster up after the batch, until Ctrl-C (for status/API calls).")
  boolean keepRunning;

  @ArgGroup(exclusive = false) WatchOptions watch = new WatchOptions();

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("--workers: must be 1..64, got " + workers);
    }
    // everything the user can get wrong fails here, before a broker starts
    BatchOptions.Prepared batch = batchOptions.prepare(BatchFile.read(file));
    try {
      BatchCheck.check(batch.body(), batch.json(), batch.name());
    } catch (ApiException e) {
      throw CliException.usage("batch file " + file + ": " + CoordinatorClient.describe(e.getMessage(), e.field()));
    }
    watch.checkJoblogWritable();
    int cap = maxChildren != null ? maxChildren
        : WorkerConfig.defaultCap(Runtime.getRuntime().availableProcessors(), threshold);
    new WorkerConfig("127.0.0.1:0", "check", "check", cap, threshold, 0, -1, null, 0).validate();
    long t0 = System.currentTimeMillis();
    System.out.println("starting broker, coordinator and " + workers + " worker(s)...");
    try (LocalCluster cluster = LocalCluster.start(dataDir, port, workers, cap, threshold)) {
      System.out.printf("cluster up in %.1fs: coordinator %s, broker %s, cap %d per worker%n",
          (System.currentTimeMillis() - t0) / 1000.0, cluster.coordinatorUrl(), cluster.bootstrap(), cluster.cap());
      CoordinatorClient client = new CoordinatorClient(cluster.coordinatorUrl(), null);
      JsonNode accepted = client.submit(batch.body(), batch.json(), batch.query());
      String id = accepted.path("batchId").asText();
      System.out.println("batch " + id + ": " + BatchReport.tasks(accepted.path("taskCount").asLong()));
      int code;
      try {
        code = watch.follow(client, id, System.out);
      } catch (CliException e) {
        if (cluster.isClosed()) {
          return Fleetrun.EXIT_INTERRUPTED; // Ctrl-C: the shutdown hook already said so
        }
        throw e;
      }
      if (keepRunning) {
        System.out.println("cluster still running at " + cluster.coordinatorUrl() + "; Ctrl-C to stop");
        Thread.currentThread().join();
      }
      return code;
    }
  }
}
