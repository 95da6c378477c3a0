package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows one batch (or lists batches) on a running coordinator. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a batch's state and counts (exit 1 once it ended FAILED or CANCELLED), or list the batches when no id is given.")
final class StatusCommand implements Callable<Integer> {
  @Parameters(paramLabel = "BATCH", arity = "0..1", description = "Batch id.")
  String batchId;

  @Option(names = "--failed", description = "Also list the tasks that did not succeed, with stderr tails.")
  boolean failed;

  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    CoordinatorClient c = client.client();
    if (batchId == null && failed) {
      throw CliException.usage("--failed needs a batch id: fleetrun status BATCH --failed");
    }
    if (batchId == null) {
      for (JsonNode b : c.batches().path("items")) {
        System.out.println(BatchWatcher.progressLine(b, b.path("elapsedMs").asLong())
            .replaceFirst("^\\[[^]]*\\]", Matcher.quoteReplacement(label(b))));
      }
      return 0;
    }
    JsonNode b = c.batch(batchId);
    if (failed) {
      new BatchReport(c, System.out).summarize(b);
    } else {
      System.out.println(label(b) + ": "
          + BatchWatcher.progressLine(b, b.path("elapsedMs").asLong()).replaceFirst("^\\[[^]]*\\] ", ""));
    }
    String state = b.path("state").asText();
    return state.equals("FAILED") || state.equals("CANCELLED") ? Fleetrun.EXIT_TASKS_FAILED : 0;
  }

  /** {@code BATCH (name) STATE}, the name left out when the batch has none. */
  private static String label(JsonNode b) {
    String name = b.path("name").asText("");
    return b.path("batchId").asText() + (name.isEmpty() ? "" : " (" + name + ")") + " " + b.path("state").asText();
  }
}
