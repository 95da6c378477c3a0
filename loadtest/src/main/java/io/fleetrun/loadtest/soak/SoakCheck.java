package io.fleetrun.loadtest.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a soak's samples: for each {@link Series}, its start, end and least-squares slope per
 * 10,000 tasks over the samples after the warm-up, against the series' tolerance. Pure.
 */
public final class SoakCheck {
  /** Fewest samples after the warm-up that a slope is fitted to. */
  public static final int MIN_SAMPLES = 5;

  /**
   * One series' verdict.
   *
   * @param start the first sample after the warm-up
   * @param end the last sample
   * @param slopePer10k fitted growth per 10,000 tasks (NaN when not fitted)
   * @param lowerBoundPer10k the slope less two standard errors
   * @param ok false when the series shows a leak (or could not be judged)
   */
  public record Verdict(Series series, boolean measured, double start, double end, double max, double slopePer10k,
      double lowerBoundPer10k, boolean ok, String reason) {}

  private SoakCheck() {}

  /**
   * @param warmupTasks samples taken at or before this many tasks are not judged
   */
  public static List<Verdict> judge(List<SoakSample> samples, long warmupTasks) {
    List<SoakSample> judged = samples.stream().filter(s -> s.tasks() > warmupTasks).toList();
    List<Verdict> out = new ArrayList<>();
    for (Series s : Series.values()) {
      out.add(judge(s, judged));
    }
    return out;
  }

  private static Verdict judge(Series s, List<SoakSample> judged) {
    double[] x = new double[judged.size()];
    double[] y = new double[judged.size()];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < judged.size(); i++) {
      x[i] = judged.get(i).tasks() / 10_000.0;
      y[i] = judged.get(i).value(s);
      max = Math.max(max, y[i]);
    }
    if (judged.isEmpty() || max < 0) {
      return new Verdict(s, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true,
          "not measured by this probe");
    }
    double start = y[0];
    double end = y[y.length - 1];
    if (!s.judged()) {
      LinearFit fit = LinearFit.of(x, y);
      return new Verdict(s, true, start, end, max, fit.slope(), fit.slopeLowerBound(), true,
          "shown, not judged: moves with the GC's heap sizing (see rss_outside_heap and heap_after_gc)");
    }
    if (s.mustStayZero()) {
      boolean ok = max == 0;
      return new Verdict(s, true, start, end, max, Double.NaN, Double.NaN, ok,
          ok ? "0 at every quiet point" : String.format(Locale.ROOT, "up to %.0f at a quiet point (must be 0)", max));
    }
    if (judged.size() < MIN_SAMPLES) {
      return new Verdict(s, true, start, end, max, Double.NaN, Double.NaN, false,
          "only " + judged.size() + " samples after the warm-up; at least " + MIN_SAMPLES + " are needed");
    }
    LinearFit fit = LinearFit.of(x, y);
    double growth = fit.slope() * (x[x.length - 1] - x[0]);
    boolean overTolerance = fit.slopeLowerBound() > s.tolerancePer10k();
    boolean ok = !overTolerance || growth <= s.noiseFloor();
    String reason = String.format(Locale.ROOT, "slope %s%s per 10k tasks (lower 95%% bound %s) %s tolerance %s",
        fmt(fit.slope() / s.unit()), s.unitName(), fmt(fit.slopeLowerBound() / s.unit()),
        overTolerance ? "EXCEEDS" : "within", fmt(s.tolerancePer10k() / s.unit()));
    if (overTolerance && ok) {
      reason += String.format(Locale.ROOT, ", but its growth over the judged window, %s%s, is within the noise floor %s",
          fmt(growth / s.unit()), s.unitName(), fmt(s.noiseFloor() / s.unit()));
    }
    return new Verdict(s, true, start, end, max, fit.slope(), fit.slopeLowerBound(), ok, reason);
  }

  /** The series that failed, by label; empty when the soak passed. */
  public static List<String> failed(List<Verdict> verdicts) {
    return verdicts.stream().filter(v -> !v.ok()).map(v -> v.series().label()).toList();
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
