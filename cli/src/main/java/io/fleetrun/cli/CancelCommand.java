package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cancels a batch or one task on a running coordinator. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancel a batch (BATCH) or one task (BATCH.SEQ).",
        "Queued tasks end CANCELLED without being started; running ones get SIGTERM to their whole process "
            + "tree, then SIGKILL after their kill grace, and end CANCELLED."})
final class CancelCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "A batch id, or a task id (batch id, a dot, the task's seq).")
  String id;

  @Option(names = {"-w", "--watch"}, description = "Follow the batch until every task has ended.")
  boolean watch;

  @Mixin ClientOptions client;

  @ArgGroup(exclusive = false) WatchOptions watchOptions = new WatchOptions();

  @Override
  public Integer call() throws Exception {
    CoordinatorClient c = client.client();
    watchOptions.checkJoblogWritable();
    JsonNode answer = c.cancel(id);
    boolean alreadyDone = answer.path("alreadyDone").asBoolean();
    System.out.println("cancel of " + id + " requested" + (alreadyDone ? " (it had already ended)" : ""));
    if (!watch) {
      return 0;
    }
    String batchId = id.contains(".") ? id.substring(0, id.lastIndexOf('.')) : id;
    return watchOptions.follow(c, batchId, System.out);
  }
}
