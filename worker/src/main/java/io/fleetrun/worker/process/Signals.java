package io.fleetrun.worker.process;

/** Wait-status decoding (signal names come from common's {@code Signals}). */
final class Signals {
  private Signals() {}

  /** "KILL" for 9; see {@link io.fleetrun.common.util.Signals#name}. */
  static String name(int signo) {
    return io.fleetrun.common.util.Signals.name(signo);
  }

  /** WIFEXITED: the child called exit; {@link #exitCode} is meaningful. */
  static boolean exited(int status) {
    return (status & 0x7f) == 0;
  }

  static int exitCode(int status) {
    return (status >> 8) & 0xff;
  }

  /** WIFSIGNALED: the child was killed by a signal; {@link #termSignal} names it. */
  static boolean signaled(int status) {
    int low = status & 0x7f;
    return low != 0 && low != 0x7f;
  }

  static int termSignal(int status) {
    return status & 0x7f;
  }
}
