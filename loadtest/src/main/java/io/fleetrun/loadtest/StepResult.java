package io.fleetrun.loadtest;

import io.fleetrun.loadtest.probe.ResourceSummary;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything measured in one step of a stepped run.
 *
 * @param concurrency tasks kept in flight (and, embedded, the worker's cap)
 * @param tasks tasks that finished in the measured part of the step (warm-up excluded)
 * @param notSucceeded of those, tasks whose outcome was not SUCCEEDED
 * @param outcomes every outcome seen, by name (sorted)
 * @param wallSeconds first submit to last completion of the measured part
 * @param submitToStart driver's submit to the worker's start of the child
 * @param startToEnd the child's run as the worker timed it
 * @param submitToEnd submit to the worker's end of the task (the latency the knee rule reads)
 * @param endToSeen the worker's end of a task to the driver receiving its result (the result path:
 *     worker, Kafka, driver); with the submit POSTs, what a closed loop adds to each cycle
 * @param submitCalls duration of each batch POST (the coordinator answers once Kafka acknowledged
 *     the batch's records); one per refill, not per task
 * @param taskCpuMsAvg CPU of a task's whole tree as the worker accounted it, mean (-1: unknown)
 * @param resources host and worker figures over the measured part
 * @param note what the fleet did for this step (e.g. the cap it set)
 */
public record StepResult(
    int concurrency, long tasks, long notSucceeded, Map<String, Long> outcomes, double wallSeconds,
    double tasksPerSecond, Latencies.Summary submitToStart, Latencies.Summary startToEnd,
    Latencies.Summary submitToEnd, Latencies.Summary endToSeen, Latencies.Summary submitCalls, double taskCpuMsAvg,
    ResourceSummary resources, String note) {

  public StepResult {
    outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes)); // sorted by name: stable reports
  }

  /** The p95 of submit-to-end in ms, the latency the knee rule compares. */
  public double p95() {
    return submitToEnd.p95();
  }
}
