package io.fleetrun.loadtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the knee of a stepped run: the concurrency past which more concurrency buys (almost) no
 * throughput but costs latency. Deterministic and pure (no clock, no I/O).
 *
 * <p><b>The rule.</b> Steps are ordered by concurrency c with throughput T (tasks/s) and p95
 * submit-to-end latency L (ms, at least 1: the timestamps' resolution). Each step i is compared
 * with its <i>reference</i> step r: the first step with at least {@code span} (2) times its
 * concurrency, or, when there is none, the last step if it has at least 1.25 times it (so the
 * usual 16 and 22 compare; else step i has no reference and cannot be the knee). Step i is the knee when, for the lowest such i:
 * <ol>
 *   <li>throughput gains less than {@code minGain} (10%) from i to r: T_r / T_i - 1 &lt; 0.10;
 *   <li>latency grows more than {@code minGrowth} (50%) from i to r: L_r / L_i - 1 &gt; 0.50; and
 *   <li>no step beyond i reaches (1 + minGain) T_i: throughput has plateaued, not just dipped.
 * </ol>
 * Comparing across a doubling (not with the next step) makes the rule independent of how densely
 * the levels are spaced: from 8 to 9 even a perfectly scaling workload gains only 12.5%.
 *
 * <p><b>The recommended cap</b> is the knee (the highest throughput before latency climbs), or
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
   */
  public record Comparison(int concurrency, Integer reference, double gain, double growth, double laterBest,
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

  private final double minGain;
  private final double minGrowth;
  private final double span;

  /** The documented rule: gain below 10% while p95 grows more than 50%, across a doubling. */
  public static KneeRule standard() {
    return new KneeRule(0.10, 0.50, 2.0);
  }

  public KneeRule(double minGain, double minGrowth, double span) {
    this.minGain = minGain;
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
        c = new Comparison(c.concurrency(), c.reference(), c.gain(), c.growth(), c.laterBest(), true,
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

  private Comparison compare(List<Point> s, int i) {
    Point p = s.get(i);
    int r = reference(s, i);
    if (r < 0) {
      return new Comparison(p.concurrency(), null, Double.NaN, Double.NaN, Double.NaN, false,
          "no later step with at least 1.25x its concurrency to compare with");
    }
    Point ref = s.get(r);
    if (p.tasksPerSecond() <= 0) {
      return new Comparison(p.concurrency(), ref.concurrency(), Double.NaN, Double.NaN, Double.NaN, false,
          "no throughput measured");
    }
    double gain = ref.tasksPerSecond() / p.tasksPerSecond() - 1;
    double growth = Math.max(1, ref.p95Ms()) / Math.max(1, p.p95Ms()) - 1;
    double laterBest = s.subList(i + 1, s.size()).stream().mapToDouble(Point::tasksPerSecond).max().orElse(0);
    boolean gainOk = gain < minGain;
    boolean growthOk = growth > minGrowth;
    boolean plateau = laterBest < (1 + minGain) * p.tasksPerSecond();
    String reason = gainOk && growthOk && plateau ? "knee"
        : !gainOk ? String.format(Locale.ROOT, "throughput still gains %s (>= %s)", pct(gain), pct(minGain))
        : !growthOk ? String.format(Locale.ROOT, "p95 grows only %s (<= %s)", pct(growth), pct(minGrowth))
        : String.format(Locale.ROOT, "a later step reaches %.1f tasks/s (>= %s more)", laterBest, pct(minGain));
    return new Comparison(p.concurrency(), ref.concurrency(), gain, growth, laterBest, reason.equals("knee"), reason);
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
      return String.format(Locale.ROOT, "no knee up to concurrency %d: at no step did throughput gain less than %s"
          + " while p95 latency grew more than %s; recommended cap %d (the highest level tested below the threshold %d;"
          + " step higher, with --allow-over-threshold past it, to find the knee)",
          s.get(s.size() - 1).concurrency(), pct(minGain), pct(minGrowth), cap, threshold);
    }
    Comparison c = cs.stream().filter(Comparison::meetsRule).findFirst().orElseThrow();
    Point p = s.stream().filter(x -> x.concurrency() == knee).findFirst().orElseThrow();
    Point r = s.stream().filter(x -> x.concurrency() == c.reference()).findFirst().orElseThrow();
    return String.format(Locale.ROOT, "knee at concurrency %d: from %d to %d throughput went %.1f -> %.1f tasks/s"
        + " (%s, below +%s) while p95 latency went %.0f -> %.0f ms (%s, above +%s), and no later step reached"
        + " %.1f tasks/s; recommended cap %d%s",
        knee, knee, r.concurrency(), p.tasksPerSecond(), r.tasksPerSecond(), signedPct(c.gain()), pct(minGain),
        p.p95Ms(), r.p95Ms(), signedPct(c.growth()), pct(minGrowth), (1 + minGain) * p.tasksPerSecond(), cap,
        knee >= threshold ? " (the knee is at or above the threshold " + threshold + "; the cap stays below it)" : "");
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * v);
  }

  private static String signedPct(double v) {
    return String.format(Locale.ROOT, "%+.0f%%", 100 * v);
  }
}
