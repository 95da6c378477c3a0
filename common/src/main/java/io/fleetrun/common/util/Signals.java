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

  private Signals() {}

  /** The name of a signal number, e.g. 9 → "KILL"; real-time signals as "RT<n>". */
  public static String name(int number) {
    if (number > 0 && number < NAMES.size()) {
      return NAMES.get(number);
    }
    return number >= 34 && number <= 64 ? "RT" + (number - 34) : "SIG" + number;
  }

  /** The number of a signal name (with or without the SIG prefix), or -1 when unknown. */
  public static int number(String name) {
    if (name == null) {
      return -1;
    }
    String n = name.startsWith("SIG") ? name.substring(3) : name;
    if (n.startsWith("RT")) {
      try {
        return 34 + Integer.parseInt(n.substring(2));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    int i = NAMES.indexOf(n);
    return i > 0 ? i : -1;
  }
}
