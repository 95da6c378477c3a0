package io.fleetrun.loadtest;

import java.util.List;
import java.util.TreeSet;

/**
 * The concurrency levels of a stepped run, from {@code --steps}: a comma list of levels and
 * ranges ({@code 1,2,4,8,16,22}, {@code 1..22} for every level from 1 to 22, {@code 1..4,8,16}),
 * sorted and without repeats.
 */
public final class StepList {
  private static final String OPTION = "--steps";
  /** Highest level accepted; far past any threshold, where the point is to show the collapse. */
  public static final int MAX_LEVEL = 1024;
  static final int MAX_STEPS = 200;

  private StepList() {}

  /** The levels, ascending; the message of a bad list names {@code --steps} and the bad part. */
  public static List<Integer> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(OPTION + ": must list at least one concurrency (e.g. 1,2,4,8 or 1..22)");
    }
    TreeSet<Integer> levels = new TreeSet<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      int dots = p.indexOf("..");
      if (dots >= 0) {
        int from = level(p.substring(0, dots), p);
        int to = level(p.substring(dots + 2), p);
        if (from > to) {
          throw new IllegalArgumentException(OPTION + ": range '" + p + "' runs backwards (write " + to + ".." + from + ")");
        }
        if (to - from >= MAX_STEPS) {
          throw new IllegalArgumentException(OPTION + ": range '" + p + "' has more than " + MAX_STEPS + " steps");
        }
        for (int c = from; c <= to; c++) {
          levels.add(c);
        }
      } else {
        levels.add(level(p, p));
      }
    }
    if (levels.size() > MAX_STEPS) {
      throw new IllegalArgumentException(OPTION + ": at most " + MAX_STEPS + " steps, got " + levels.size());
    }
    return List.copyOf(levels);
  }

  private static int level(String s, String part) {
    String t = s.strip();
    if (!t.matches("\\d{1,7}")) {
      throw new IllegalArgumentException(OPTION + ": '" + part + "' is not a concurrency (a whole number 1.." + MAX_LEVEL
          + ", or a range like 1..22)");
    }
    int v = Integer.parseInt(t);
    if (v < 1 || v > MAX_LEVEL) {
      throw new IllegalArgumentException(OPTION + ": concurrency " + v + " is out of range 1.." + MAX_LEVEL);
    }
    return v;
  }

  /**
   * Refuses levels at or over {@code threshold} unless allowed: a worker's cap must stay below its
   * threshold, and stepping past it is only for showing what happens there.
   */
  public static void checkThreshold(List<Integer> levels, int threshold, boolean allowOver) {
    int max = levels.get(levels.size() - 1);
    if (max >= threshold && !allowOver) {
      throw new IllegalArgumentException(OPTION + ": concurrency " + max + " is at or over the threshold " + threshold
          + " (a worker's cap stays below it); add --allow-over-threshold to step past it on purpose");
    }
  }
}
