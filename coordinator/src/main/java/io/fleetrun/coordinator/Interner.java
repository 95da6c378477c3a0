package io.fleetrun.coordinator;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares equal strings (worker ids, host names, signals, causes) so a million tasks run by ten
 * workers hold ten strings, not a million. Bounded: past {@link #MAX} distinct values new ones are
 * kept unshared. Not thread-safe; owned by the {@link Projection}.
 */
final class Interner {
  static final int MAX = 100_000;

  private final Map<String, String> values = new HashMap<>();

  String intern(String s) {
    if (s == null) {
      return null;
    }
    String known = values.get(s);
    if (known != null) {
      return known;
    }
    if (values.size() < MAX) {
      values.put(s, s);
    }
    return s;
  }
}
