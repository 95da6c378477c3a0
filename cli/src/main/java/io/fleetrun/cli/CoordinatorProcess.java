package io.fleetrun.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator in a JVM of its own, started from this JVM's classpath ({@link ChildCoordinator}),
 * so that the process that hosts the worker holds no coordinator state: the load test's worker
 * figures and the soak's heap are the worker's. It listens on a free loopback port, joins no
 * cluster (the worker's telemetry stays on the load test's own event bus), and exits with its
 * parent (its stdin is a pipe this object holds). Output goes to a log file.
 *
 * <p>Threading: {@link #start} blocks until the coordinator serves (seconds); {@link #close} is
 * idempotent.
 */
final class CoordinatorProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("coordinator listening on (http://[^ ,]+)");
  private final Process process;
  private final OutputStream parentPipe;
  private final String url;
  private final Path log;
  private boolean closed;

  private CoordinatorProcess(Process process, String url, Path log) {
    this.process = process;
    this.parentPipe = process.getOutputStream();
    this.url = url;
    this.log = log;
  }

  static CoordinatorProcess start(String bootstrap, Path log, Duration timeout) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = List.of(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), ChildCoordinator.class.getName(),
        "--bootstrap", bootstrap, "--port", "0",
        // the worker lives in the load test's JVM with a local event bus: no cluster to join
        "--no-cluster");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new CliException("cannot start a coordinator JVM: " + e.getMessage());
    }
    try {
      return new CoordinatorProcess(p, awaitUrl(p, log, timeout), log);
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static String awaitUrl(Process p, Path log, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(log);
      Matcher m = LISTENING.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new CliException("the coordinator JVM exited (" + p.exitValue() + ") before serving: " + tail(text));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while the coordinator started");
      }
    }
    throw new CliException("the coordinator JVM did not serve within " + timeout.toSeconds() + " s: " + tail(read(log)));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  String url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** SIGTERM (the coordinator closes cleanly), up to 15 s, then SIGKILL. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      parentPipe.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
