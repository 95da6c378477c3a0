package io.fleetrun.loadtest.report;

import io.fleetrun.loadtest.KneeRule;
import io.fleetrun.loadtest.StepResult;
import java.util.List;

/**
 * A stepped run's results with what is needed to read them: what ran, where, and how the
 * figures were taken.
 *
 * @param title e.g. {@code cpu:20ms}
 * @param context lines about the run (date, machine, fleet, plan, calibration, probe source)
 * @param steps every step, ascending concurrency
 * @param knee the knee rule's verdict over {@code steps}
 * @param threshold the workers' threshold the recommendation stays below
 */
public record StepsReport(String title, List<String> context, List<StepResult> steps, KneeRule.Result knee,
    int threshold) {
  public StepsReport {
    context = List.copyOf(context);
    steps = List.copyOf(steps);
  }

  public boolean isKnee(StepResult s) {
    return knee.knee() != null && knee.knee() == s.concurrency();
  }
}
