package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.loadtest.probe.WorkerProbe;
import io.fleetrun.loadtest.probe.WorkerSample;

/**
 * A remote fleet's worker figures from its coordinator's fleet table ({@code GET /v1/fleet}):
 * the totals over the workers it shows UP, each the worker's own telemetry. Workers in other
 * processes appear there once they share the coordinator's clustered event bus; until then, or
 * with a coordinator without the fleet view, every figure is unknown. Thread-safe (one HTTP call
 * per sample, from the sampler thread).
 */
final class FleetApiProbe implements WorkerProbe {
  private final CoordinatorClient client;
  private volatile int workersUp = -1;

  FleetApiProbe(CoordinatorClient client) {
    this.client = client;
  }

  /** The fleet's totals now, or null when the coordinator has no fleet view or shows no worker UP. */
  JsonNode totals() {
    try {
      JsonNode t = client.fleet().path("totals");
      workersUp = t.path("up").asInt(0);
      return workersUp > 0 ? t : null;
    } catch (CliException e) {
      return null;
    }
  }

  @Override
  public WorkerSample sample() {
    JsonNode t = totals();
    if (t == null) {
      return new WorkerSample(System.currentTimeMillis(), Double.NaN, -1, -1, -1, -1, -1, -1);
    }
    return new WorkerSample(System.currentTimeMillis(), t.path("cpuCores").asDouble(Double.NaN),
        t.path("rssBytes").asLong(-1), -1, t.path("openFds").asInt(-1), t.path("threads").asInt(-1),
        t.path("zombies").asInt(-1), t.path("liveChildren").asInt(-1));
  }

  @Override
  public String source() {
    return "GET " + client.baseUrl() + "/v1/fleet: totals of the workers UP"
        + (workersUp < 0 ? "" : " (" + workersUp + " seen)") + ", each from its own telemetry";
  }
}
