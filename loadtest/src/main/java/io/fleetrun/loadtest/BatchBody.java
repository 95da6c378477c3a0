package io.fleetrun.loadtest;

import io.fleetrun.common.Json;
import java.util.List;

/** The JSON body of {@code POST /v1/batches} for a list of {@link TaskRequest}s. */
public final class BatchBody {
  private BatchBody() {}

  private record Body(String name, List<TaskRequest.Wire> tasks) {}

  public static byte[] json(String name, List<TaskRequest> tasks) {
    return Json.write(new Body(name, tasks.stream().map(TaskRequest::wire).toList()));
  }
}
