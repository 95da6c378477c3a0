package io.fleetrun.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many iterations of the {@code cpu:} workload's shell loop burn one millisecond of CPU on
 * this machine, measured by running the loop in {@code /bin/sh} and reading the shell's own CPU
 * time from its {@code times} builtin (CPU time, not wall time, so a busy machine slows the
 * calibration run but barely changes its result).
 *
 * <p>The fastest of three runs counts: interference only ever adds CPU per iteration. The kernel
 * accounts CPU in clock ticks (10 ms here), so each run is sized to take about 300 ms. Blocking
 * (about a second); call it once per process and off any event loop.
 */
public final class CpuCalibration {
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");
  private static final long TARGET_CPU_MS = 300;
  private static final int RUNS = 3;

  private CpuCalibration() {}

  /** The loop {@code cpu:} runs: {@code iterations} additions in the shell, nothing else. */
  public static String loop(long iterations) {
    return "i=0; while [ $i -lt " + iterations + " ]; do i=$((i+1)); done";
  }

  /** Iterations of {@link #loop} per CPU millisecond here. */
  public static double iterationsPerCpuMs() {
    long n = 50_000;
    double best = 0;
    for (int run = 0; run < RUNS; ) {
      double cpuMs = cpuMsOf(n);
      if (cpuMs < TARGET_CPU_MS / 2.0) {
        // too short for 10 ms ticks: size the next run from this one (this one does not count)
        n = cpuMs <= 0 ? n * 8 : Math.round(n * TARGET_CPU_MS / cpuMs);
        continue;
      }
      best = Math.max(best, n / cpuMs);
      run++;
    }
    return best;
  }

  /** The shell's own user + system CPU in ms while running {@code iterations} of the loop. */
  static double cpuMsOf(long iterations) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", loop(iterations) + "; times");
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException("cpu calibration: the shell loop did not finish in 60 s");
      }
      return parseTimes(out);
    } catch (IOException e) {
      throw new IllegalStateException("cpu calibration: cannot run /bin/sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cpu calibration interrupted", e);
    }
  }

  /** The first line of {@code times} output (the shell itself): user + system, in ms. */
  static double parseTimes(String out) {
    Matcher m = TIMES.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cpu calibration: cannot read the shell's `times` output: "
          + out.strip().lines().findFirst().orElse("(empty)"));
    }
    return (Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2))
        + Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4))) * 1000;
  }

  /** e.g. {@code 702 iterations per CPU ms}. */
  public static String describe(double perMs) {
    return String.format(Locale.ROOT, "%.0f loop iterations per CPU ms", perMs);
  }
}
