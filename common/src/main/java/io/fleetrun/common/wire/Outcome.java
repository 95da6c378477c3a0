package io.fleetrun.common.wire;

/**
 * The closed set of ways a task attempt can end.
 *
 * <p>The outcome says what happened from the worker's point of view. It is never inferred from an
 * exit number: a child that exits 137 by itself is {@link #FAILED} with exit code 137, while a
 * child the worker killed on its timeout is {@link #TIMED_OUT} whatever its status was.
 */
public enum Outcome {
  /** Exited by itself with code 0. */
  SUCCEEDED,
  /** Exited by itself with a non-zero code, or died of a signal the worker did not send. */
  FAILED,
  /** The worker stopped it because its wall-clock timeout passed. */
  TIMED_OUT,
  /** The worker stopped it, or never started it, because the task or its batch was cancelled. */
  CANCELLED,
  /** The worker stopped it because its process tree passed its resident-memory limit. */
  MEMORY_LIMIT,
  /** The worker stopped it because its process tree passed its process-count limit. */
  PIDS_LIMIT,
  /** The worker stopped it because it wrote more than the output ceiling. */
  OUTPUT_LIMIT,
  /** The child could not be started at all (missing executable, bad cwd, ...). */
  SPAWN_FAILED,
  /** The attempt started but its worker vanished before reporting an end. */
  LOST;

  /** True only for {@link #SUCCEEDED}. */
  public boolean ok() {
    return this == SUCCEEDED;
  }
}
