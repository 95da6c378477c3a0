package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Submits a batch file to a running coordinator, and with --watch follows it to the end. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit a batch (JSON, or one shell command per line) to a running coordinator.")
final class SubmitCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "Batch file, or - for standard input.")
  Path file;

  @Mixin BatchOptions batchOptions = new BatchOptions();

  @Option(names = {"-w", "--watch"}, description = "Follow the batch to its end; exit 1 if any task did not succeed.")
  boolean watch;

  @Mixin ClientOptions client;

  @ArgGroup(exclusive = false) WatchOptions watchOptions = new WatchOptions();

  @Override
  public Integer call() throws Exception {
    BatchOptions.Prepared batch = batchOptions.prepare(BatchFile.read(file));
    watchOptions.checkJoblogWritable();
    CoordinatorClient c = client.client();
    JsonNode accepted = c.submit(batch.body(), batch.json(), batch.query());
    String id = accepted.path("batchId").asText();
    System.out.println("batch " + id + ": " + BatchReport.tasks(accepted.path("taskCount").asLong()) + " accepted");
    return watch ? watchOptions.follow(c, id, System.out) : 0;
  }
}
