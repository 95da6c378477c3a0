package io.fleetrun.worker.process;

/** Linux x86_64 signal names without the SIG prefix, and wait-status decoding. */
final class Signals {
  private static final String[] NAMES = {
    null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
    "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
  };
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private Signals() {}

  /** "KILL" for 9, "RTMIN+2" for 36, "SIG99" for a number Linux does not define. */
  static String name(int signo) {
    if (signo > 0 && signo < NAMES.length) {
      return NAMES[signo];
    }
    if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
      return signo == SIGRTMIN ? "RTMIN" : "RTMIN+" + (signo - SIGRTMIN);
    }
    return "SIG" + signo;
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
