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

  @Option(names = {"-w", "--watch"},
      description = "Follow until it has ended: the batch, or the one task; exit 1 unless all of it succeeded.")
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
    return id.contains(".") ? followTask(c) : watchOptions.follow(c, id, System.out);
  }

  /** Polls the task until it is neither QUEUED nor RUNNING, then prints how it ended. */
  private int followTask(CoordinatorClient c) throws InterruptedException {
    while (true) {
      JsonNode t = c.task(id);
      String state = t.path("state").asText();
      if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
        JsonNode attempts = t.path("attempts");
        JsonNode r = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).path("result");
        String how = r == null || r.isMissingNode() || r.isNull() ? ""
            : (r.hasNonNull("exitCode") ? ", exit " + r.get("exitCode").asInt() : "")
                + (r.hasNonNull("signal") ? ", signal " + r.get("signal").asText() : "")
                + (r.hasNonNull("cause") ? ", cause " + r.get("cause").asText() : "");
        System.out.println("task " + id + " " + state + how);
        return state.equals("SUCCEEDED") ? 0 : Fleetrun.EXIT_TASKS_FAILED;
      }
      Thread.sleep(200);
    }
  }
}
