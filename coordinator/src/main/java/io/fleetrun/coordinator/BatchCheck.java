package io.fleetrun.coordinator;

import java.util.List;
import java.util.Map;

/**
 * The coordinator's own validation of a batch body, for clients that want its verdict before
 * they start anything (the CLI's {@code local} role checks the file before a broker starts).
 * Same parsers and limits as {@code POST /v1/batches}; publishes nothing.
 */
public final class BatchCheck {
  private BatchCheck() {}

  /**
   * Parses {@code body} as the API would with the default limits and returns its task count.
   *
   * @param name the batch name a text body is submitted with, or null
   * @throws ApiException with the message and field the API would answer
   */
  public static int check(byte[] body, boolean json, String name) {
    int maxTasks = CoordinatorConfig.DEFAULT_MAX_TASKS;
    BatchRequest request = json
        ? new JsonBatchParser(maxTasks).parse(body)
        : new TextBatchParser(maxTasks).parse(body, name == null ? Map.of() : Map.of("name", List.of(name)));
    return request.tasks().size();
  }
}
