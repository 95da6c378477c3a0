package io.fleetrun.loadtest;

import io.fleetrun.common.wire.Outcome;

/**
 * A finished task as the fleet reported it. Times are the worker's clock in epoch ms ({@code
 * startedAtMs} 0 when the child never ran, e.g. SPAWN_FAILED or a cancel before start).
 *
 * @param cpuMs user + system CPU of the task's whole tree, as the worker accounted it
 * @param outputBytes bytes the task wrote to stdout and stderr (all counted, kept or not)
 */
public record Completion(
    String batchId, int seq, Outcome outcome, long startedAtMs, long endedAtMs, long cpuMs, long outputBytes) {

  public boolean started() {
    return startedAtMs > 0;
  }
}
