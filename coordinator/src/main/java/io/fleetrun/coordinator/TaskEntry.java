package io.fleetrun.coordinator;

import io.fleetrun.coordinator.ApiViews.TaskItem;
import java.util.Arrays;

/**
 * One task in the projection. The inherited {@link AttemptSlot} fields describe the task's
 * <em>latest</em> attempt (the one its state comes from), so the common single-attempt task is
 * one object; earlier attempts, and attempts whose events arrive late, live in {@link #older}.
 * Owned by the {@link Projection}; confined to its thread.
 *
 * <p>Memory: about 130 bytes plus the command text, which is kept for listings, cut to {@link
 * Projection#MAX_CMD_CHARS} characters (the full spec is fetched from Kafka by offset).
 */
final class TaskEntry extends AttemptSlot {
  /** TaskSpec.display(), possibly shortened; null until the task record is seen. */
  String cmd;
  int specAttempt;
  int specPartition = -1;
  long specOffset = -1;
  /** Attempts other than the latest, sorted by attempt number; null when there are none. */
  AttemptSlot[] older;

  /**
   * The slot that holds {@code n}: this entry for the latest attempt (an attempt newer than the
   * latest moves the latest into {@link #older} first), or an entry of {@link #older}, created
   * when missing.
   */
  AttemptSlot slotFor(int n) {
    if (attempt == 0 || n == attempt) {
      attempt = n;
      return this;
    }
    if (n > attempt) {
      insertOlder(copy());
      resetTo(n);
      return this;
    }
    if (older != null) {
      for (AttemptSlot s : older) {
        if (s.attempt == n) {
          return s;
        }
      }
    }
    AttemptSlot s = new AttemptSlot();
    s.attempt = n;
    insertOlder(s);
    return s;
  }

  private void insertOlder(AttemptSlot s) {
    AttemptSlot[] grown = older == null ? new AttemptSlot[1] : Arrays.copyOf(older, older.length + 1);
    grown[grown.length - 1] = s;
    Arrays.sort(grown, (a, b) -> Integer.compare(a.attempt, b.attempt));
    older = grown;
  }

  /** Every known attempt, oldest first, the latest last. */
  AttemptSlot[] attempts() {
    if (attempt == 0) {
      return new AttemptSlot[0];
    }
    AttemptSlot[] all = older == null ? new AttemptSlot[1] : Arrays.copyOf(older, older.length + 1);
    all[all.length - 1] = this;
    return all;
  }

  /** The listing row of task {@code seq} ({@code t} null when nothing of it was seen: QUEUED). */
  static TaskItem row(String batchId, int seq, TaskEntry t) {
    String id = batchId + "." + seq;
    if (t == null || t.attempt == 0) {
      return new TaskItem(id, seq, t == null ? null : t.cmd, "QUEUED", null, null, null, null,
          null, null, null, null, null, null, null, null, null);
    }
    boolean end = t.finished;
    return new TaskItem(id, seq, t.cmd, Projection.stateName(t.stateCode()),
        end ? t.outcome.name() : null, t.exitCode == AttemptSlot.NO_EXIT ? null : t.exitCode,
        t.signal, t.cause, t.attempt, t.runs, t.workerId, t.host,
        Projection.opt(t.startedAtMs), Projection.opt(t.endedAtMs),
        end && t.startedAtMs > 0 ? Math.max(0, t.endedAtMs - t.startedAtMs) : null,
        end ? t.stdoutBytes : null, end ? t.stderrBytes : null);
  }
}
