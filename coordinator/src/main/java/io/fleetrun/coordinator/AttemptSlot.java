package io.fleetrun.coordinator;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.common.wire.TaskResult;

/**
 * What the projection knows of one attempt of a task: a few numbers and shared strings, plus the
 * location of its TASK_FINISHED record (the captured output stays in Kafka). Owned by the {@link
 * Projection}; confined to its thread.
 *
 * <p>Dedup rules: a repeated STARTED of the same run is ignored; STARTED after FINISHED never
 * changes the state (FINISHED wins whatever the arrival order); a second FINISHED is ignored.
 *
 * <p>Runs: delivery is at-least-once, so one attempt can run more than once (its worker died, or
 * its partition moved to another worker mid-task). A STARTED from another worker, or from the
 * same worker at another start time, is another run: {@code runs} counts them, and while the
 * attempt is unfinished the newest run is the one shown.
 */
class AttemptSlot {
  static final int NO_EXIT = Integer.MIN_VALUE;

  /** 1-based attempt number; 0 while the slot is empty (a task never started). */
  int attempt;
  boolean started;
  /** Runs of this attempt seen (STARTED events of distinct runs); 0 before any. */
  int runs;
  boolean finished;
  String workerId;
  String host;
  long startedAtMs = -1;
  long endedAtMs = -1;
  Outcome outcome;
  int exitCode = NO_EXIT;
  String signal;
  String cause;
  long stdoutBytes = -1;
  long stderrBytes = -1;
  int resultPartition = -1;
  long resultOffset = -1;

  /**
   * @return true when the event changed this slot's state or shown run (a run counted after the
   *     attempt finished returns false: see {@link #runs})
   */
  boolean applyStarted(TaskStarted e, Interner names) {
    boolean sameWorker = e.workerId() != null && e.workerId().equals(workerId);
    if (finished) {
      if (!sameWorker) {
        runs++; // another worker ran it again after this result: a duplicate run
      }
      return false;
    }
    if (started && sameWorker && e.startedAtMs() == startedAtMs) {
      return false;
    }
    runs++;
    started = true;
    workerId = names.intern(e.workerId());
    host = names.intern(e.host());
    startedAtMs = e.startedAtMs();
    return true;
  }

  /** @return true when the event changed this slot */
  boolean applyFinished(TaskFinished e, int partition, long offset, Interner names) {
    if (finished) {
      return false;
    }
    TaskResult r = e.result();
    finished = true;
    runs = Math.max(runs, 1);
    workerId = names.intern(e.workerId());
    host = names.intern(e.host());
    if (startedAtMs < 0 || r.startedAtMs() > 0) {
      startedAtMs = r.startedAtMs();
    }
    endedAtMs = r.endedAtMs();
    outcome = r.outcome() == null ? Outcome.LOST : r.outcome();
    exitCode = r.exitCode() == null ? NO_EXIT : r.exitCode();
    signal = names.intern(r.signal());
    cause = names.intern(r.cause());
    stdoutBytes = r.stdout().totalBytes();
    stderrBytes = r.stderr().totalBytes();
    resultPartition = partition;
    resultOffset = offset;
    return true;
  }

  /** A detached copy of this slot's attempt fields. */
  AttemptSlot copy() {
    AttemptSlot c = new AttemptSlot();
    c.attempt = attempt;
    c.started = started;
    c.runs = runs;
    c.finished = finished;
    c.workerId = workerId;
    c.host = host;
    c.startedAtMs = startedAtMs;
    c.endedAtMs = endedAtMs;
    c.outcome = outcome;
    c.exitCode = exitCode;
    c.signal = signal;
    c.cause = cause;
    c.stdoutBytes = stdoutBytes;
    c.stderrBytes = stderrBytes;
    c.resultPartition = resultPartition;
    c.resultOffset = resultOffset;
    return c;
  }

  /** Empties the attempt fields so the slot can hold a newer attempt. */
  void resetTo(int newAttempt) {
    attempt = newAttempt;
    started = false;
    runs = 0;
    finished = false;
    workerId = null;
    host = null;
    startedAtMs = -1;
    endedAtMs = -1;
    outcome = null;
    exitCode = NO_EXIT;
    signal = null;
    cause = null;
    stdoutBytes = -1;
    stderrBytes = -1;
    resultPartition = -1;
    resultOffset = -1;
  }

  /** -1 queued, 0 running, 1 + ordinal for a final outcome. */
  int stateCode() {
    if (finished) {
      return 1 + outcome.ordinal();
    }
    return started ? 0 : -1;
  }
}
