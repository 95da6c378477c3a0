package io.fleetrun.loadtest;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * What every task of a load run executes, from {@code --workload}: {@code true} (spawn cost
 * only), {@code sleep:50ms} (an idle child), {@code cpu:20ms} (a child that burns that much CPU
 * in a calibrated shell loop), {@code io:1MiB} (a child that writes that many bytes to stdout,
 * which the worker drains and counts), or any other text, run as a shell command.
 *
 * @param kind which of the forms above
 * @param spec the text as given
 * @param amount milliseconds (sleep, cpu) or bytes (io); 0 otherwise
 */
public record Workload(Kind kind, String spec, long amount) {
  /** The forms of {@code --workload}. */
  public enum Kind { TRUE, SLEEP, CPU, IO, COMMAND }

  private static final String OPTION = "--workload";
  /** Longest sleep or CPU burn per task; longer ones make a load test of hours. */
  static final long MAX_MS = 600_000;
  static final long MAX_IO_BYTES = 1L << 30;

  /** Reads {@code --workload}; the message names the option and shows the accepted forms. */
  public static Workload parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(OPTION + ": must not be empty (true, sleep:50ms, cpu:20ms, io:1MiB or a shell command)");
    }
    String s = spec.strip();
    if (s.equals("true")) {
      return new Workload(Kind.TRUE, s, 0);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("sleep:")) {
      return new Workload(Kind.SLEEP, s, bounded(Units.millis(s.substring(6), OPTION + " " + s), 0, MAX_MS, s, "ms"));
    }
    if (lower.startsWith("cpu:")) {
      return new Workload(Kind.CPU, s, bounded(Units.millis(s.substring(4), OPTION + " " + s), 1, MAX_MS, s, "ms"));
    }
    if (lower.startsWith("io:")) {
      return new Workload(Kind.IO, s, bounded(Units.bytes(s.substring(3), OPTION + " " + s), 0, MAX_IO_BYTES, s, "bytes"));
    }
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(OPTION + ": a shell command must not contain NUL");
    }
    return new Workload(Kind.COMMAND, s, 0);
  }

  private static long bounded(long v, long min, long max, String spec, String unit) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(OPTION + " " + spec + ": must be " + min + ".." + max + " " + unit + ", got " + v);
    }
    return v;
  }

  /** True when {@link #command} needs the CPU calibration (only {@code cpu:}). */
  public boolean needsCalibration() {
    return kind == Kind.CPU;
  }

  /**
   * The shell command a task runs.
   *
   * @param iterationsPerCpuMs asked only for {@code cpu:} (see {@link CpuCalibration})
   */
  public String command(DoubleSupplier iterationsPerCpuMs) {
    return switch (kind) {
      case TRUE -> "true";
      case SLEEP -> String.format(Locale.ROOT, "sleep %.3f", amount / 1000.0);
      case CPU -> CpuCalibration.loop(Math.max(1, Math.round(iterationsPerCpuMs.getAsDouble() * amount)));
      case IO -> "head -c " + amount + " /dev/zero";
      case COMMAND -> spec;
    };
  }

  /** A file-name-safe short form: {@code true}, {@code sleep-50ms}, {@code cpu-20ms}, {@code io-1MiB}, {@code cmd}. */
  public String slug() {
    return switch (kind) {
      case TRUE -> "true";
      case SLEEP -> "sleep-" + Units.duration(amount);
      case CPU -> "cpu-" + Units.duration(amount);
      case IO -> "io-" + Units.size(amount);
      case COMMAND -> "cmd";
    };
  }
}
