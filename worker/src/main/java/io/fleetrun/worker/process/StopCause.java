package io.fleetrun.worker.process;

import io.fleetrun.common.wire.Outcome;

/** Why the worker stopped a child, as recorded in {@code TaskResult.cause}. */
public final class StopCause {
  /** The task's wall-clock timeout passed: {@link Outcome#TIMED_OUT}. */
  public static final String TIMEOUT = "timeout";
  /** The task or its batch was cancelled: {@link Outcome#CANCELLED}. */
  public static final String CANCEL = "cancel";
  /** The task's process group passed its resident-memory limit: {@link Outcome#MEMORY_LIMIT}. */
  public static final String MEMORY = "memory";
  /** The supervisor is closing (worker shutdown): {@link Outcome#CANCELLED}. */
  public static final String SHUTDOWN = "shutdown";

  private StopCause() {}

  /**
   * The outcome of a child the worker stopped: timeout → TIMED_OUT, memory → MEMORY_LIMIT, any
   * other cause → CANCELLED.
   */
  static Outcome outcome(String cause) {
    if (TIMEOUT.equals(cause)) {
      return Outcome.TIMED_OUT;
    }
    return MEMORY.equals(cause) ? Outcome.MEMORY_LIMIT : Outcome.CANCELLED;
  }
}
