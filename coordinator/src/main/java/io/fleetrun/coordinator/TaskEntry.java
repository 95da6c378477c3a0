package io.fleetrun.coordinator;

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
}
