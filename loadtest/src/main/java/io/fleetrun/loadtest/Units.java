package io.fleetrun.loadtest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations and sizes people type on the command line ({@code 50ms}, {@code 1.5s},
 * {@code 2m}, {@code 1MiB}, {@code 64KiB}, {@code 10MB}) and prints them back. Every error message
 * starts with the name of the option it came from, so the user knows what to fix.
 */
public final class Units {
  private static final Pattern NUMBER_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

  private Units() {}

  /**
   * Milliseconds of a duration with a unit: {@code ms}, {@code s}, {@code m} or {@code h}.
   *
   * @param option the option or field named in the error message
   * @throws IllegalArgumentException naming {@code option} when the text is not a duration
   */
  public static long millis(String text, String option) {
    Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + ": not a duration: '" + text + "' (e.g. 50ms, 2s, 1.5m)");
    }
    double factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      case "" -> throw new IllegalArgumentException(
          option + ": '" + text + "' needs a unit: ms, s, m or h (e.g. " + text + "ms)");
      default -> throw new IllegalArgumentException(
          option + ": unknown unit '" + m.group(2) + "' in '" + text + "' (use ms, s, m or h)");
    };
    return Math.round(Double.parseDouble(m.group(1)) * factor);
  }

  /**
   * Bytes of a size: a plain number of bytes, or one with {@code B}, {@code KiB}, {@code MiB},
   * {@code GiB} (powers of 1024) or {@code KB}, {@code MB}, {@code GB} (powers of 1000).
   *
   * @throws IllegalArgumentException naming {@code option} when the text is not a size
   */
  public static long bytes(String text, String option) {
    Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + ": not a size: '" + text + "' (e.g. 4096, 64KiB, 1MiB)");
    }
    double factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "b" -> 1;
      case "kib", "k" -> 1024;
      case "mib", "m" -> 1024 * 1024;
      case "gib", "g" -> 1024L * 1024 * 1024;
      case "kb" -> 1_000;
      case "mb" -> 1_000_000;
      case "gb" -> 1_000_000_000;
      default -> throw new IllegalArgumentException(
          option + ": unknown unit '" + m.group(2) + "' in '" + text + "' (use B, KiB, MiB, GiB, KB, MB or GB)");
    };
    return Math.round(Double.parseDouble(m.group(1)) * factor);
  }

  /** A short human form: {@code 50ms}, {@code 1.5s}, {@code 2m}. */
  public static String duration(long ms) {
    if (ms < 1_000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return trim(ms / 1000.0) + "s";
    }
    return trim(ms / 60_000.0) + "m";
  }

  /** A short human form in powers of 1024: {@code 512B}, {@code 64KiB}, {@code 1MiB}, {@code 1.5GiB}. */
  public static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return trim(v) + units[u];
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.replaceAll("\\.?0+$", "");
  }
}
