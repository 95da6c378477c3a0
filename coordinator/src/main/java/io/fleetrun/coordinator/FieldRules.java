package io.fleetrun.coordinator;

import java.util.List;

/**
 * The allowed range of every submitted field, in one place. Each check throws a 400 {@link
 * ApiException} naming the field; stateless and thread-safe.
 */
final class FieldRules {
  /** 7 days; 0 means no timeout. */
  static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;
  static final long MAX_KILL_GRACE_MS = 10L * 60 * 1000;
  static final long MAX_OUTPUT_LIMIT_BYTES = 1024L * 1024;
  static final long MIN_MEMORY_LIMIT_BYTES = 1024L * 1024;
  /** 1 TiB: anything above is a typo, not a limit. */
  static final long MAX_MEMORY_LIMIT_BYTES = 1L << 40;
  /** The kernel's largest pid_max. */
  static final long MAX_PIDS_LIMIT = 4_194_304;
  /** Linux MAX_ARG_STRLEN (128 KiB including the NUL): a longer single argument cannot be exec'd. */
  static final int MAX_ARG_BYTES = 131_071;
  static final int MAX_NAME_CHARS = 200;

  private FieldRules() {}

  static long timeoutMs(long v, String field) {
    return range(v, 0, MAX_TIMEOUT_MS, field, "0 (no timeout) to " + MAX_TIMEOUT_MS + " (7 days)");
  }

  static long killGraceMs(long v, String field) {
    return range(v, 0, MAX_KILL_GRACE_MS, field, "0 to " + MAX_KILL_GRACE_MS + " (10 minutes)");
  }

  static long outputLimitBytes(long v, String field) {
    return range(v, 0, MAX_OUTPUT_LIMIT_BYTES, field, "0 to " + MAX_OUTPUT_LIMIT_BYTES + " (1 MiB)");
  }

  static long memoryLimitBytes(long v, String field) {
    return range(v, MIN_MEMORY_LIMIT_BYTES, MAX_MEMORY_LIMIT_BYTES, field,
        MIN_MEMORY_LIMIT_BYTES + " (1 MiB) to " + MAX_MEMORY_LIMIT_BYTES + " (1 TiB)");
  }

  static int pidsLimit(long v, String field) {
    return (int) range(v, 1, MAX_PIDS_LIMIT, field, "1 to " + MAX_PIDS_LIMIT);
  }

  private static long range(long v, long min, long max, String field, String allowed) {
    if (v < min || v > max) {
      throw ApiException.badRequest(field + " must be " + allowed + ", got " + v, field);
    }
    return v;
  }

  /** A shell command: not blank, no NUL, short enough to pass as one argument. */
  static String command(String cmd, String field) {
    if (cmd.isBlank()) {
      throw ApiException.badRequest(field + " must not be empty or blank", field);
    }
    argument(cmd, field);
    return cmd;
  }

  /** An argument vector: not empty, first element not blank, no element with NUL or too long. */
  static List<String> argv(List<String> argv, String field) {
    if (argv.isEmpty()) {
      throw ApiException.badRequest(field + " must not be empty", field);
    }
    if (argv.get(0).isBlank()) {
      throw ApiException.badRequest(field + "[0] (the program) must not be empty", field + "[0]");
    }
    for (int i = 0; i < argv.size(); i++) {
      argument(argv.get(i), field + "[" + i + "]");
    }
    return argv;
  }

  /** An environment variable name: not empty, no '=' or NUL. */
  static String envKey(String key, String field) {
    if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
      throw ApiException.badRequest(field + ": invalid variable name " + quote(key)
          + " (must be non-empty, without '=' or NUL)", field);
    }
    return key;
  }

  static String envValue(String key, String value, String field) {
    argument(key + "=" + value, field);
    return value;
  }

  /** A working directory: absolute, no NUL. */
  static String cwd(String cwd, String field) {
    if (!cwd.startsWith("/")) {
      throw ApiException.badRequest(field + " must be an absolute path, got " + quote(cwd), field);
    }
    argument(cwd, field);
    return cwd;
  }

  static String name(String name, String field) {
    if (name.length() > MAX_NAME_CHARS) {
      throw ApiException.badRequest(field + " must be at most " + MAX_NAME_CHARS + " characters", field);
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ApiException.badRequest(field + " must not contain control characters", field);
    }
    return name;
  }

  /** Any string handed to exec: no NUL, at most {@link #MAX_ARG_BYTES} bytes as UTF-8. */
  static void argument(String s, String field) {
    if (s.indexOf('\0') >= 0) {
      throw ApiException.badRequest(field + " must not contain NUL bytes", field);
    }
    // a UTF-16 char never takes more than 3 UTF-8 bytes: count only when it could matter
    if (s.length() * 3L > MAX_ARG_BYTES && utf8Length(s) > MAX_ARG_BYTES) {
      throw ApiException.badRequest(field + " is longer than " + MAX_ARG_BYTES
          + " bytes (the kernel's limit for one argument)", field);
    }
  }

  private static long utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static String quote(String s) {
    String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return "\"" + shown.replace("\0", "\\0") + "\"";
  }
}
