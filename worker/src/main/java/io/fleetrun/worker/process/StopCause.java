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
  /** The task's process group had more processes than its pids limit: {@link Outcome#PIDS_LIMIT}. */
  public static final String PIDS = "pids";
  /** The supervisor is closing (worker shutdown): {@link Outcome#CANCELLED}. */
  public static final String SHUTDOWN = "shutdown";

  private StopCause() {}

  /**
   * The outcome of a child the worker stopped: timeout → TIMED_OUT, memory → MEMORY_LIMIT, pids
   * → PIDS_LIMIT, any other cause → CANCELLED.
   */
  static Outcome outcome(String cause) {
    if (cause == null) {
      return Outcome.CANCELLED;
    }
    return switch (cause) {
      case TIMEOUT -> Outcome.TIMED_OUT;
      case MEMORY -> Outcome.MEMORY_LIMIT;
      case PIDS -> Outcome.PIDS_LIMIT;
      default -> Outcome.CANCELLED;
    };
  }
}
