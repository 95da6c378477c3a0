package io.fleetrun.coordinator;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Everything a coordinator needs to start. Immutable; build one with {@link #defaults(String)} or
 * {@link #local(String, int)} and adjust it with the {@code with...} methods.
 *
 * @param host address the HTTP server binds to. Default {@value #DEFAULT_HOST} (loopback only);
 *     any other address requires a {@code token}
 * @param port HTTP port. Default {@value #DEFAULT_PORT}; 0 picks a free port (see {@link
 *     CoordinatorVerticle#actualPort()})
 * @param bootstrap Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. Required
 * @param token bearer token every {@code /v1} call must present; null or blank for none (allowed
 *     only on a loopback host)
 * @param maxBodyBytes largest accepted request body. Default {@value #DEFAULT_MAX_BODY_BYTES}
 *     (16 MiB), at most {@value #MAX_MAX_BODY_BYTES}; larger bodies get 413
 * @param maxTasks most tasks in one batch. Default {@value #DEFAULT_MAX_TASKS}; more get 413
 * @param defaultTimeoutMs task wall-clock limit when neither task nor batch sets one. Default
 *     {@value #DEFAULT_TIMEOUT_MS} (1 h); 0 means none
 * @param defaultKillGraceMs SIGTERM to SIGKILL gap when unset. Default {@value
 *     #DEFAULT_KILL_GRACE_MS}
 * @param defaultOutputLimitBytes bytes kept per stream when unset. Default {@value
 *     #DEFAULT_OUTPUT_LIMIT_BYTES}
 * @param kafkaTimeoutMs how long one Kafka operation (publish, metadata, catch-up step, fetch of
 *     a record) may take before the coordinator gives up with 503 or a failed start. Default
 *     {@value #DEFAULT_KAFKA_TIMEOUT_MS}
 */
public record CoordinatorConfig(
    String host,
    int port,
    String bootstrap,
    String token,
    long maxBodyBytes,
    int maxTasks,
    long defaultTimeoutMs,
    long defaultKillGraceMs,
    long defaultOutputLimitBytes,
    long kafkaTimeoutMs) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final long MAX_MAX_BODY_BYTES = 512L * 1024 * 1024;
  public static final int DEFAULT_MAX_TASKS = 1_000_000;
  public static final long DEFAULT_TIMEOUT_MS = 3_600_000;
  public static final long DEFAULT_KILL_GRACE_MS = 5_000;
  public static final long DEFAULT_OUTPUT_LIMIT_BYTES = 65_536;
  public static final long DEFAULT_KAFKA_TIMEOUT_MS = 30_000;

  /** Every default, with the given Kafka bootstrap servers. */
  public static CoordinatorConfig defaults(String bootstrap) {
    return new CoordinatorConfig(DEFAULT_HOST, DEFAULT_PORT, bootstrap, null,
        DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_TASKS, DEFAULT_TIMEOUT_MS, DEFAULT_KILL_GRACE_MS,
        DEFAULT_OUTPUT_LIMIT_BYTES, DEFAULT_KAFKA_TIMEOUT_MS);
  }

  /** Defaults on loopback with the given port (0 = a free port), as {@code fleetrun local} uses. */
  public static CoordinatorConfig local(String bootstrap, int port) {
    return defaults(bootstrap).withPort(port);
  }

  public CoordinatorConfig withHost(String newHost) {
    return new CoordinatorConfig(newHost, port, bootstrap, token, maxBodyBytes, maxTasks,
        defaultTimeoutMs, defaultKillGraceMs, defaultOutputLimitBytes, kafkaTimeoutMs);
  }

  public CoordinatorConfig withPort(int newPort) {
    return new CoordinatorConfig(host, newPort, bootstrap, token, maxBodyBytes, maxTasks,
        defaultTimeoutMs, defaultKillGraceMs, defaultOutputLimitBytes, kafkaTimeoutMs);
  }

  public CoordinatorConfig withToken(String newToken) {
    return new CoordinatorConfig(host, port, bootstrap, newToken, maxBodyBytes, maxTasks,
        defaultTimeoutMs, defaultKillGraceMs, defaultOutputLimitBytes, kafkaTimeoutMs);
  }

  public CoordinatorConfig withLimits(long newMaxBodyBytes, int newMaxTasks) {
    return new CoordinatorConfig(host, port, bootstrap, token, newMaxBodyBytes, newMaxTasks,
        defaultTimeoutMs, defaultKillGraceMs, defaultOutputLimitBytes, kafkaTimeoutMs);
  }

  public CoordinatorConfig withKafkaTimeoutMs(long newKafkaTimeoutMs) {
    return new CoordinatorConfig(host, port, bootstrap, token, maxBodyBytes, maxTasks,
        defaultTimeoutMs, defaultKillGraceMs, defaultOutputLimitBytes, newKafkaTimeoutMs);
  }

  /** True when a non-blank token is configured. */
  public boolean hasToken() {
    return token != null && !token.isBlank();
  }

  /**
   * Checks every field, including the security baseline (a non-loopback host needs a token).
   *
   * @return this, for chaining
   * @throws IllegalArgumentException naming the first bad field and what is allowed
   */
  public CoordinatorConfig validate() {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0..65535 (0 = a free port), got " + port);
    }
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap: Kafka bootstrap servers are required");
    }
    if (maxBodyBytes < 1024 || maxBodyBytes > MAX_MAX_BODY_BYTES) {
      throw new IllegalArgumentException("maxBodyBytes: must be 1024.." + MAX_MAX_BODY_BYTES
          + ", got " + maxBodyBytes);
    }
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks: must be at least 1, got " + maxTasks);
    }
    checkDefault("defaultTimeoutMs", defaultTimeoutMs, FieldRules.MAX_TIMEOUT_MS);
    checkDefault("defaultKillGraceMs", defaultKillGraceMs, FieldRules.MAX_KILL_GRACE_MS);
    checkDefault("defaultOutputLimitBytes", defaultOutputLimitBytes, FieldRules.MAX_OUTPUT_LIMIT_BYTES);
    if (kafkaTimeoutMs < 1000 || kafkaTimeoutMs > 600_000) {
      throw new IllegalArgumentException("kafkaTimeoutMs: must be 1000..600000, got " + kafkaTimeoutMs);
    }
    if (hasToken() && token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("token: must not contain whitespace or control characters");
    }
    if (!hasToken() && !isLoopback(host)) {
      throw new IllegalArgumentException("host " + host + " is not a loopback address: a token is "
          + "required (anyone who reaches the coordinator can run commands on every worker)");
    }
    return this;
  }

  private static void checkDefault(String name, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + ": must be 0.." + max + ", got " + value);
    }
  }

  /**
   * True for a literal loopback address or {@code localhost}. Only literal addresses and
   * {@code localhost} are judged, so a check never waits on DNS; any other name counts as not
   * loopback.
   */
  static boolean isLoopback(String host) {
    String h = host.trim();
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    boolean literal = h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    // never print the token
    return "CoordinatorConfig[host=" + host + ", port=" + port + ", bootstrap=" + bootstrap
        + ", token=" + (hasToken() ? "***" : "none") + ", maxBodyBytes=" + maxBodyBytes
        + ", maxTasks=" + maxTasks + ", defaultTimeoutMs=" + defaultTimeoutMs
        + ", defaultKillGraceMs=" + defaultKillGraceMs + ", defaultOutputLimitBytes="
        + defaultOutputLimitBytes + ", kafkaTimeoutMs=" + kafkaTimeoutMs + "]";
  }
}
