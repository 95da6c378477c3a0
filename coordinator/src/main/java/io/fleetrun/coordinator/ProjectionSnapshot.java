package io.fleetrun.coordinator;

import io.fleetrun.coordinator.ApiViews.BatchSummary;
import java.util.List;
import java.util.Map;

/**
 * What the fleet view reads from the {@link Projection} once a tick, detached from it (taken on
 * the coordinator's event loop, read on the fleet's): immutable once built.
 *
 * @param batches batches to show: those not yet done, newest first, then recently finished ones
 * @param runningByWorker ids of the tasks RUNNING per worker id
 * @param finishedByOutcome attempts that reached each outcome, indexed by {@code Outcome.ordinal()}
 * @param batchesAccepted batches accepted (BATCH_ACCEPTED read) since the projection started
 * @param tasksAccepted tasks of those batches
 * @param openBatches batches not yet done (all of them, not only those in {@code batches})
 */
record ProjectionSnapshot(
    List<BatchSummary> batches,
    Map<String, List<String>> runningByWorker,
    long[] finishedByOutcome,
    long batchesAccepted,
    long tasksAccepted,
    int openBatches) {

  static final ProjectionSnapshot EMPTY =
      new ProjectionSnapshot(List.of(), Map.of(), new long[io.fleetrun.common.wire.Outcome.values().length], 0, 0, 0);

  ProjectionSnapshot {
    batches = List.copyOf(batches);
    runningByWorker = Map.copyOf(runningByWorker);
  }

  /** Attempts finished, every outcome. */
  long finishedTotal() {
    long sum = 0;
    for (long n : finishedByOutcome) {
      sum += n;
    }
    return sum;
  }
}
