package io.fleetrun.worker.process;

import io.fleetrun.common.wire.Outcome;

/** Why the worker stopped a child, as recorded in {@code TaskResult.cause}. */
public final class StopCause {
  /** The task's wall-clock timeout passed: {@link Outcome#TIMED_OUT}. */
  public static final String TIMEOUT = "timeout";
  /** The task or its batch was cancelled: {@link Outcome#CANCELLED}. */
  public static final String CANCEL = "cancel";
  /** The supervisor is closing (worker shutdown): {@link Outcome#CANCELLED}. */
  public static final String SHUTDOWN = "shutdown";

  private StopCause() {}

  /** The outcome of a child the worker stopped: timeout → TIMED_OUT, any other cause → CANCELLED. */
  static Outcome outcome(String cause) {
    return TIMEOUT.equals(cause) ? Outcome.TIMED_OUT : Outcome.CANCELLED;
  }
}
