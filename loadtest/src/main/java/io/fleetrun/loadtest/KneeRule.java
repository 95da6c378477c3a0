package io.fleetrun.loadtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the knee of a stepped run: the concurrency past which more concurrency buys little
 * throughput and mostly latency. Deterministic and pure (no clock, no I/O).
 *
 * <p><b>Scaling efficiency.</b> From step c to a higher step j, e(c, j) = log(T_j / T_c) /
 * log(c_j / c): the share of the added concurrency that became throughput (1 = linear scaling, 0
 * = none, below 0 = throughput fell). In a closed loop the rest of it becomes latency (Little's
 * law: concurrency = throughput x time in flight), so a doubling at efficiency 1/3 gains 26%
 * throughput and makes each task take 59% longer.
 *
 * <p><b>The rule.</b> Steps are ordered by concurrency c with throughput T (tasks/s) and p95
 * submit-to-end latency L (ms, at least 1: the timestamps' resolution). Each step is compared with
 * its <i>reference</i> r: the first step with at least {@code span} (2) times its concurrency, or,
 * when there is none, the last step if it has at least 1.25 times it (so the usual 16 and 22
 * compare; else the step cannot be the knee). The knee is the lowest step c such that
 * <ol>
 *   <li>scaling has stopped: e(c, r) &lt; {@code maxEfficiency} (1/3);
 *   <li>latency pays for it: L_r / L_c - 1 &gt; {@code minGrowth} (50%); and
 *   <li>no later step j recovers: e(c, j) &lt; 1/3 for every j &gt; c (a dip is not a knee).
 * </ol>
 * Comparing across a doubling (not with the next step) makes the rule independent of how densely
 * the levels are spaced. Efficiency, rather than a fixed gain such as "less than 10%", lets the
 * rule see a CPU-bound knee on a small machine: there, past the cores, children keep taking CPU
 * from the fleet's own processes and any other tenant, so throughput creeps up 15-25% per
 * doubling while p95 latency nearly doubles.
 *
 * <p><b>The recommended cap</b> is the knee (the most throughput before latency climbs), or
 * threshold - 1 when the knee is at or above the threshold. Without a knee it is the highest
 * level tested below the threshold: nothing measured argues for less, and higher levels were not
 * tested.
 */
public final class KneeRule {
  /** One step as the rule sees it. */
  public record Point(int concurrency, double tasksPerSecond, double p95Ms) {}

  /**
   * Step {@code concurrency} compared with step {@code reference}: whether it meets the rule, and
   * why (or why not). The knee is the lowest step that meets it.
   *
   * @param gain T_r / T_c - 1
   * @param efficiency e(c, r)
   * @param growth L_r / L_c - 1
   */
  public record Comparison(int concurrency, Integer reference, double gain, double efficiency, double growth,
      boolean meetsRule, String reason) {}

  /**
   * The verdict.
   *
   * @param knee the knee's concurrency, or null when none was found
   * @param recommendedCap the cap to run this workload with (always below the threshold)
   * @param summary one paragraph with the evidence, for people
   * @param comparisons every step's comparison, in order
   */
  public record Result(Integer knee, int recommendedCap, String summary, List<Comparison> comparisons) {}

  /** The least span to the last step when no step is {@code span} times as high. */
  static final double LAST_STEP_SPAN = 1.25;

  private final double maxEfficiency;
  private final double minGrowth;
  private final double span;

  /** The documented rule: efficiency below 1/3 while p95 grows more than 50%, across a doubling. */
  public static KneeRule standard() {
    return new KneeRule(1.0 / 3, 0.50, 2.0);
  }

  public KneeRule(double maxEfficiency, double minGrowth, double span) {
    this.maxEfficiency = maxEfficiency;
    this.minGrowth = minGrowth;
    this.span = span;
  }

  public Result apply(List<Point> steps, int threshold) {
    List<Point> s = new ArrayList<>(steps);
    s.sort(Comparator.comparingInt(Point::concurrency));
    List<Comparison> comparisons = new ArrayList<>();
    Integer knee = null;
    for (int i = 0; i < s.size(); i++) {
      Comparison c = compare(s, i);
      if (c.meetsRule() && knee != null) {
        c = new Comparison(c.concurrency(), c.reference(), c.gain(), c.efficiency(), c.growth(), true,
            "meets the rule too (the knee is the lowest step that does)");
      }
      comparisons.add(c);
      if (knee == null && c.meetsRule()) {
        knee = c.concurrency();
      }
    }
    int cap = recommend(s, knee, threshold);
    return new Result(knee, cap, summary(s, knee, cap, threshold, comparisons), List.copyOf(comparisons));
  }

  /** e(a, b): the share of the added concurrency from a to b that became throughput. */
  static double efficiency(Point a, Point b) {
    return Math.log(b.tasksPerSecond() / a.tasksPerSecond()) / Math.log((double) b.concurrency() / a.concurrency());
  }

  private Comparison compare(List<Point> s, int i) {
    Point p = s.get(i);
    int r = reference(s, i);
    if (r < 0) {
      return new Comparison(p.concurrency(), null, Double.NaN, Double.NaN, Double.NaN, false,
          "no later step with at least 1.25x its concurrency to compare with");
    }
    Point ref = s.get(r);
    if (p.tasksPerSecond() <= 0 || ref.tasksPerSecond() <= 0) {
      return new Comparison(p.concurrency(), ref.concurrency(), Double.NaN, Double.NaN, Double.NaN, false,
          "no throughput measured");
    }
    double gain = ref.tasksPerSecond() / p.tasksPerSecond() - 1;
    double eff = efficiency(p, ref);
    double growth = Math.max(1, ref.p95Ms()) / Math.max(1, p.p95Ms()) - 1;
    Point recovery = null;
    for (Point later : s.subList(i + 1, s.size())) {
      if (later.tasksPerSecond() > 0 && efficiency(p, later) >= maxEfficiency) {
        recovery = later;
        break;
      }
    }
    String reason;
    if (eff >= maxEfficiency) {
      reason = String.format(Locale.ROOT, "still scales: efficiency %.2f (>= %.2f)", eff, maxEfficiency);
    } else if (growth <= minGrowth) {
      reason = String.format(Locale.ROOT, "p95 grows only %s (<= %s)", signedPct(growth), pct(minGrowth));
    } else if (recovery != null) {
      reason = String.format(Locale.ROOT, "step %d scales again: %.1f tasks/s, efficiency %.2f from here",
          recovery.concurrency(), recovery.tasksPerSecond(), efficiency(p, recovery));
    } else {
      reason = "knee";
    }
    return new Comparison(p.concurrency(), ref.concurrency(), gain, eff, growth, reason.equals("knee"), reason);
  }

  private int reference(List<Point> s, int i) {
    int c = s.get(i).concurrency();
    for (int j = i + 1; j < s.size(); j++) {
      if (s.get(j).concurrency() >= span * c) {
        return j;
      }
    }
    int last = s.size() - 1;
    return last > i && s.get(last).concurrency() >= LAST_STEP_SPAN * c ? last : -1;
  }

  private static int recommend(List<Point> s, Integer knee, int threshold) {
    if (knee != null) {
      return Math.min(knee, threshold - 1);
    }
    int best = 1;
    for (Point p : s) {
      if (p.concurrency() < threshold) {
        best = Math.max(best, p.concurrency());
      }
    }
    return Math.min(best, threshold - 1);
  }

  private String summary(List<Point> s, Integer knee, int cap, int threshold, List<Comparison> cs) {
    if (s.size() < 2) {
      return "no knee: a knee needs at least two steps; recommended cap " + cap + " (the level tested)";
    }
    if (knee == null) {
      return String.format(Locale.ROOT, "no knee up to concurrency %d: no step stopped scaling (efficiency below"
          + " %.2f) while p95 latency grew more than %s and stayed so; recommended cap %d (the highest level tested"
          + " below the threshold %d; step higher, with --allow-over-threshold past it, to find the knee)",
          s.get(s.size() - 1).concurrency(), maxEfficiency, pct(minGrowth), cap, threshold);
    }
    Comparison c = cs.stream().filter(Comparison::meetsRule).findFirst().orElseThrow();
    Point p = s.stream().filter(x -> x.concurrency() == knee).findFirst().orElseThrow();
    Point r = s.stream().filter(x -> x.concurrency() == c.reference()).findFirst().orElseThrow();
    return String.format(Locale.ROOT, "knee at concurrency %d: from %d to %d throughput went %.1f -> %.1f tasks/s"
        + " (%s, scaling efficiency %.2f, below %.2f) while p95 latency went %.0f -> %.0f ms (%s, above +%s), and no"
        + " later step scaled again; recommended cap %d%s",
        knee, knee, r.concurrency(), p.tasksPerSecond(), r.tasksPerSecond(), signedPct(c.gain()), c.efficiency(),
        maxEfficiency, p.p95Ms(), r.p95Ms(), signedPct(c.growth()), pct(minGrowth), cap,
        knee >= threshold ? " (the knee is at or above the threshold " + threshold + "; the cap stays below it)" : "");
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * v);
  }

  private static String signedPct(double v) {
    return String.format(Locale.ROOT, "%+.0f%%", 100 * v);
  }
}
