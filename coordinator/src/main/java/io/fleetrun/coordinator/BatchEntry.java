package io.fleetrun.coordinator;

import io.fleetrun.common.wire.Outcome;
import java.util.Arrays;

/**
 * One batch in the projection: its tasks in an array indexed by seq (no per-task map, no task-id
 * strings) and counters kept up to date on every change, so a summary costs O(1) whatever the
 * batch size. Owned by the {@link Projection}; confined to its thread.
 */
final class BatchEntry {
  /** Batch states (see {@link #state()}); INCOMPLETE: task records or events but no BATCH_ACCEPTED. */
  static final String ACCEPTED = "ACCEPTED";
  static final String RUNNING = "RUNNING";
  static final String SUCCEEDED = "SUCCEEDED";
  static final String FAILED = "FAILED";
  static final String CANCELLED = "CANCELLED";
  static final String INCOMPLETE = "INCOMPLETE";

  final String batchId;
  String name;
  boolean accepted;
  int declaredCount;
  /** Runs beyond the first of any attempt: tasks that ran again after a worker died or a rebalance. */
  int reruns;
  long acceptedAtMs = -1;
  long firstStartedAtMs = -1;
  long lastEndedAtMs = -1;
  /** A cancel of the whole batch was requested (read from, or acknowledged by, fleetrun.control). */
  boolean cancelRequested;
  long cancelRequestedAtMs = -1;
  /** Offset of the control record the cancel fields come from; -1 before any. */
  private long cancelOffset = -1;

  private TaskEntry[] tasks = new TaskEntry[8];
  private int seen;
  private int running;
  private int done;
  private final int[] outcomes = new int[Outcome.values().length];

  BatchEntry(String batchId) {
    this.batchId = batchId;
  }

  /** The task with this seq, or null when nothing of it was seen yet. */
  TaskEntry task(int seq) {
    return seq >= 1 && seq <= tasks.length ? tasks[seq - 1] : null;
  }

  TaskEntry taskOrCreate(int seq) {
    if (seq > tasks.length) {
      int want = Math.max(seq, (int) Math.min(Integer.MAX_VALUE - 8, tasks.length * 3L / 2 + 1));
      tasks = Arrays.copyOf(tasks, want);
    }
    TaskEntry t = tasks[seq - 1];
    if (t == null) {
      t = new TaskEntry();
      tasks[seq - 1] = t;
      seen++;
    }
    return t;
  }

  /** Called when BATCH_ACCEPTED is known: sizes the array exactly. */
  void accept(String batchName, int taskCount, long atMs) {
    accepted = true;
    name = batchName;
    declaredCount = taskCount;
    acceptedAtMs = atMs;
    if (tasks.length < taskCount) {
      tasks = Arrays.copyOf(tasks, taskCount);
    }
  }

  /**
   * Records a batch-level cancel from the control record at {@code offset}. The record with the
   * highest offset wins, as compaction keeps only that one: a restarted coordinator (reading the
   * compacted topic) shows the same time. Applying the same record twice changes nothing.
   */
  void requestCancel(long atMs, long offset) {
    if (offset >= cancelOffset) {
      cancelRequested = true;
      cancelRequestedAtMs = atMs;
      cancelOffset = offset;
    }
  }

  /** Keeps the counters right after a task moved from state code {@code before} to {@code after}. */
  void recount(int before, int after) {
    if (before == after) {
      return;
    }
    adjust(before, -1);
    adjust(after, +1);
  }

  private void adjust(int code, int delta) {
    if (code == 0) {
      running += delta;
    } else if (code > 0) {
      outcomes[code - 1] += delta;
      done += delta;
    }
  }

  void noteTimes(AttemptSlot s) {
    if (s.startedAtMs > 0 && (firstStartedAtMs < 0 || s.startedAtMs < firstStartedAtMs)) {
      firstStartedAtMs = s.startedAtMs;
    }
    if (s.finished && s.endedAtMs > lastEndedAtMs) {
      lastEndedAtMs = s.endedAtMs;
    }
  }

  /** The declared count once accepted, else the number of distinct tasks seen. */
  int taskCount() {
    return accepted ? declaredCount : seen;
  }

  /** Highest seq a listing must cover. */
  int maxSeq() {
    return accepted ? declaredCount : tasks.length;
  }

  int running() {
    return running;
  }

  int done() {
    return done;
  }

  int outcomeCount(Outcome o) {
    return outcomes[o.ordinal()];
  }

  int queued() {
    return Math.max(0, taskCount() - running - done);
  }

  boolean allDone() {
    return done >= taskCount() && taskCount() > 0;
  }

  /**
   * INCOMPLETE without BATCH_ACCEPTED; once every task is done CANCELLED when a batch-level cancel
   * was requested (whatever the outcomes), else SUCCEEDED or FAILED; before that RUNNING or
   * ACCEPTED, a pending cancel notwithstanding. A task-level cancel plays no part: its task just
   * ends CANCELLED, which makes the batch FAILED like any other non-success.
   */
  String state() {
    if (!accepted) {
      return INCOMPLETE;
    }
    if (allDone()) {
      // a cancel that came after every task had ended stopped nothing: the batch keeps its state
      if (cancelRequested && outcomes[Outcome.CANCELLED.ordinal()] > 0) {
        return CANCELLED;
      }
      return outcomes[Outcome.SUCCEEDED.ordinal()] >= taskCount() ? SUCCEEDED : FAILED;
    }
    return running > 0 || done > 0 || firstStartedAtMs > 0 ? RUNNING : ACCEPTED;
  }
}
