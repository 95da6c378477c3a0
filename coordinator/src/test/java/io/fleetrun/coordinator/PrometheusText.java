package io.fleetrun.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format, version 0.0.4 (the format of {@code
 * text/plain; version=0.0.4}), for tests. The Prometheus Java client has writers but no parser, so
 * this follows the format's grammar line by line and refuses what Prometheus' own parser refuses,
 * plus what a conforming exposition never contains:
 *
 * <ul>
 *   <li>every line ends with a line feed; a sample is {@code name[{labels}] value [timestamp]},
 *       names {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*} not
 *       starting {@code __}, label values quoted with only {@code \\ \" \n} escapes, values Go
 *       floats ({@code NaN}, {@code +Inf}, {@code -Inf} included), timestamps integers;
 *   <li>{@code # HELP} and {@code # TYPE} at most once per family, TYPE before its samples, types
 *       counter, gauge, histogram, summary or untyped; a family's lines are contiguous;
 *   <li>no series twice, no label twice in one sample; histograms have {@code le} buckets ending
 *       in {@code +Inf}, cumulative, {@code _count} equal to the {@code +Inf} bucket; summary
 *       quantiles carry {@code quantile}.
 * </ul>
 *
 * <p>{@link #parse} throws {@link IllegalArgumentException} naming the line; otherwise it returns
 * every sample.
 */
final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf)|NaN");
  private static final Pattern INT = Pattern.compile("-?[0-9]+");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  static List<Sample> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a line feed");
    }
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    Set<String> helps = new HashSet<>();
    Set<String> closed = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      String where = "line " + (i + 1) + " \"" + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + "\"";
      try {
        if (line.isEmpty()) {
          continue;
        }
        String family;
        if (line.startsWith("#")) {
          family = comment(line, types, helps);
          if (family == null) {
            continue;
          }
        } else {
          Sample s = sample(line);
          family = familyOf(s.name(), types);
          if (!series.add(s.name() + s.labels())) {
            throw new IllegalArgumentException("series repeated");
          }
          checkShape(s, family, types.get(family));
          samples.add(s);
        }
        if (!family.equals(current)) {
          if (current != null) {
            closed.add(current);
          }
          if (closed.contains(family)) {
            throw new IllegalArgumentException("lines of family " + family + " are not contiguous");
          }
          current = family;
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    checkHistograms(samples, types);
    return samples;
  }

  /** The family a HELP or TYPE line is about (null for a plain comment). */
  private static String comment(String line, Map<String, String> types, Set<String> helps) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
      return null;
    }
    String name = parts[2];
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name " + name);
    }
    if (parts[1].equals("HELP")) {
      if (!helps.add(name)) {
        throw new IllegalArgumentException("second HELP for " + name);
      }
      checkEscapes(parts.length > 3 ? parts[3] : "", false);
    } else {
      if (parts.length != 4 || !TYPES.contains(parts[3])) {
        throw new IllegalArgumentException("TYPE must be one of " + TYPES);
      }
      if (types.putIfAbsent(name, parts[3]) != null) {
        throw new IllegalArgumentException("second TYPE for " + name);
      }
    }
    return name;
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name \"" + name + "\"");
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ", -1);
    if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()) {
      throw new IllegalArgumentException("bad value or trailing text: \"" + line.substring(i + 1) + "\"");
    }
    if (rest.length == 2 && !INT.matcher(rest[1]).matches()) {
      throw new IllegalArgumentException("bad timestamp \"" + rest[1] + "\"");
    }
    String v = rest[0];
    double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
        : v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
    return new Sample(name, labels, value);
  }

  /** Reads {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
  private static int labels(String line, int i, Map<String, String> labels) {
    while (true) {
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException("label without =");
      }
      String label = line.substring(i, eq);
      if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException("bad label name \"" + label + "\"");
      }
      if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label value of " + label + " is not quoted");
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char next = j + 1 < line.length() ? line.charAt(++j) : 0;
          if (next != '\\' && next != '"' && next != 'n') {
            throw new IllegalArgumentException("bad escape in the value of " + label);
          }
          c = next == 'n' ? '\n' : next;
        }
        value.append(c);
      }
      if (j >= line.length()) {
        throw new IllegalArgumentException("unterminated value of " + label);
      }
      if (labels.put(label, value.toString()) != null) {
        throw new IllegalArgumentException("label " + label + " twice");
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      } else if (i >= line.length() || line.charAt(i) != '}') {
        throw new IllegalArgumentException("expected , or } after the value of " + label);
      }
    }
  }

  private static void checkEscapes(String help, boolean quotes) {
    for (int j = 0; j < help.length(); j++) {
      if (help.charAt(j) == '\\') {
        char next = j + 1 < help.length() ? help.charAt(++j) : 0;
        if (next != '\\' && next != 'n' && !(quotes && next == '"')) {
          throw new IllegalArgumentException("bad escape in HELP");
        }
      }
    }
  }

  /** The family of a sample: its own name when typed, else the name without a known suffix. */
  private static String familyOf(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count", "_created"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String type = types.get(base);
        if ("histogram".equals(type) || "summary".equals(type)) {
          return base;
        }
      }
    }
    return name; // untyped
  }

  private static void checkShape(Sample s, String family, String type) {
    if ("histogram".equals(type) && s.name().equals(family + "_bucket") && !s.labels().containsKey("le")) {
      throw new IllegalArgumentException("histogram bucket without le");
    }
    if ("summary".equals(type) && s.name().equals(family) && !s.labels().containsKey("quantile")) {
      throw new IllegalArgumentException("summary quantile without the quantile label");
    }
    if (("histogram".equals(type) || "summary".equals(type)) && !s.name().equals(family)
        && !s.name().equals(family + "_bucket") && !s.name().equals(family + "_sum")
        && !s.name().equals(family + "_count") && !s.name().equals(family + "_created")) {
      throw new IllegalArgumentException("sample " + s.name() + " does not belong to " + type + " " + family);
    }
  }

  private static void checkHistograms(List<Sample> samples, Map<String, String> types) {
    Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    Map<String, Double> counts = new HashMap<>();
    for (Sample s : samples) {
      for (var e : types.entrySet()) {
        if (!e.getValue().equals("histogram")) {
          continue;
        }
        Map<String, String> rest = new TreeMap<>(s.labels());
        String le = rest.remove("le");
        if (s.name().equals(e.getKey() + "_bucket")) {
          double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          buckets.computeIfAbsent(e.getKey() + rest, k -> new TreeMap<>()).put(bound, s.value());
        } else if (s.name().equals(e.getKey() + "_count")) {
          counts.put(e.getKey() + rest, s.value());
        }
      }
    }
    buckets.forEach((series, b) -> {
      Double inf = b.get(Double.POSITIVE_INFINITY);
      if (inf == null) {
        throw new IllegalArgumentException("histogram " + series + " has no +Inf bucket");
      }
      double prev = 0;
      for (double v : b.values()) {
        if (v < prev) {
          throw new IllegalArgumentException("histogram " + series + " buckets are not cumulative");
        }
        prev = v;
      }
      if (!inf.equals(counts.get(series))) {
        throw new IllegalArgumentException("histogram " + series + ": _count differs from the +Inf bucket");
      }
    });
  }
}
