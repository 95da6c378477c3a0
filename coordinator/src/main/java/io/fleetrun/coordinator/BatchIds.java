package io.fleetrun.coordinator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Batch ids: {@code "b"} + the creation time in base-36 milliseconds + 4 random base-36
 * characters, e.g. {@code bmiq3x2k0a7fz}. Short, unique in practice (1.7 million choices per
 * millisecond), URL- and shell-safe, without '.', and sortable by creation time as strings
 * (the millisecond part has 8 characters from 1973 to 2059). Thread-safe.
 */
final class BatchIds {
  private BatchIds() {}

  static String next() {
    return next(System.currentTimeMillis());
  }

  static String next(long millis) {
    StringBuilder sb = new StringBuilder(13).append('b').append(Long.toString(millis, 36));
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 4; i++) {
      sb.append(Character.forDigit(r.nextInt(36), 36));
    }
    return sb.toString();
  }
}
