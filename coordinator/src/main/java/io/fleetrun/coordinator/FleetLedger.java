package io.fleetrun.coordinator;

import io.fleetrun.common.wire.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the fleet view needs from the {@link Projection}, kept up to date by it on every change so
 * that a fleet snapshot costs no scan of the tasks: the tasks RUNNING per worker id, finish events
 * per outcome, accepted batches and tasks, and the batches not yet done.
 *
 * <p>Bounded: running tasks are at most the fleet's summed caps (plus the tasks left RUNNING by
 * workers that died, until they run again elsewhere). Counters only grow (they count events, not
 * states, so a task that runs again after a FAILED attempt does not take one back).
 *
 * <p>Threading: owned by the projection; confined to the coordinator's event loop.
 */
final class FleetLedger {
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final Map<String, Set<String>> runningByWorker = new HashMap<>();
  private final long[] finished = new long[OUTCOMES.length];
  private final TreeSet<String> open = new TreeSet<>();
  private long batchesAccepted;
  private long tasksAccepted;

  /**
   * Records that task {@code taskId} went from state code {@code before} on {@code beforeWorker}
   * to {@code after} on {@code afterWorker} (state codes of {@link AttemptSlot#stateCode()}).
   */
  void taskMoved(String taskId, int before, String beforeWorker, int after, String afterWorker) {
    boolean wasRunning = before == 0 && beforeWorker != null;
    boolean isRunning = after == 0 && afterWorker != null;
    if (wasRunning && isRunning && beforeWorker.equals(afterWorker)) {
      return;
    }
    if (wasRunning) {
      Set<String> s = runningByWorker.get(beforeWorker);
      if (s != null && s.remove(taskId) && s.isEmpty()) {
        runningByWorker.remove(beforeWorker);
      }
    }
    if (isRunning) {
      runningByWorker.computeIfAbsent(afterWorker, w -> new LinkedHashSet<>()).add(taskId);
    }
  }

  /** An attempt reached its final outcome (counted once per attempt). */
  void finished(Outcome outcome) {
    finished[outcome.ordinal()]++;
  }

  /** A batch was accepted for the first time. */
  void accepted(int taskCount) {
    batchesAccepted++;
    tasksAccepted += taskCount;
  }

  /** Keeps the set of batches not yet done right after {@code b} changed. */
  void batchChanged(BatchEntry b) {
    if (b.allDone()) {
      open.remove(b.batchId);
    } else {
      open.add(b.batchId);
    }
  }

  /** Ids of batches not yet done, newest first, at most {@code max}. */
  List<String> openBatches(int max) {
    List<String> ids = new ArrayList<>(Math.min(max, open.size()));
    for (String id : open.descendingSet()) {
      if (ids.size() >= max) {
        break;
      }
      ids.add(id);
    }
    return ids;
  }

  int openCount() {
    return open.size();
  }

  /** A detached copy of the running tasks per worker. */
  Map<String, List<String>> runningByWorker() {
    Map<String, List<String>> copy = new HashMap<>();
    runningByWorker.forEach((w, tasks) -> copy.put(w, List.copyOf(tasks)));
    return copy;
  }

  /** Finish events per outcome, indexed by {@link Outcome#ordinal()}; a copy. */
  long[] finishedByOutcome() {
    return finished.clone();
  }

  long batchesAccepted() {
    return batchesAccepted;
  }

  long tasksAccepted() {
    return tasksAccepted;
  }
}
