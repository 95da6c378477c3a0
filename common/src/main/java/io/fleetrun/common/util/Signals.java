package io.fleetrun.common.util;

import java.util.List;

/** Linux signal numbers and names (without the SIG prefix), as on x86-64 and arm64. */
public final class Signals {
  private static final List<String> NAMES = List.of(
      "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
      "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
      "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

  public static final int TERM = 15;
  public static final int KILL = 9;
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private Signals() {}

  /** "KILL" for 9, "RTMIN+2" for 36, "SIG99" for a number Linux does not define. */
  public static String name(int number) {
    if (number > 0 && number < NAMES.size()) {
      return NAMES.get(number);
    }
    if (number >= SIGRTMIN && number <= SIGRTMAX) {
      return number == SIGRTMIN ? "RTMIN" : "RTMIN+" + (number - SIGRTMIN);
    }
    return "SIG" + number;
  }

  /** The number of a signal name (with or without the SIG prefix), or -1 when unknown. */
  public static int number(String name) {
    if (name == null) {
      return -1;
    }
    String n = name.startsWith("SIG") ? name.substring(3) : name;
    if (n.equals("RTMIN")) {
      return SIGRTMIN;
    }
    if (n.startsWith("RTMIN+")) {
      try {
        int k = SIGRTMIN + Integer.parseInt(n.substring(6));
        return k <= SIGRTMAX ? k : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    int i = NAMES.indexOf(n);
    return i > 0 ? i : -1;
  }
}
