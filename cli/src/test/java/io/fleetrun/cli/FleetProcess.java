package io.fleetrun.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fleetrun role in a JVM of its own, started from this test JVM's classpath (the shaded jar
 * does not exist yet in {@code mvn verify}'s test phase), its stdout and stderr in a log file.
 * Closing it kills the JVM if it still runs and waits for it: no test leaves one behind.
 */
final class FleetProcess implements AutoCloseable {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
  private final String name;
  private final Process process;
  private final Path log;

  private FleetProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code fleetrun ARGS} in a small JVM; {@code FLEETRUN_*} variables of this environment
   * are not passed on, so only {@code args} configure it.
   *
   * @param logDir where {@code NAME.log} is written (replaced)
   */
  static FleetProcess start(Path logDir, String name, List<String> args) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // small and quick to start: C1 only, a serial collector, a bounded heap
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Fleetrun.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("FLEETRUN_"));
    return new FleetProcess(name, pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The log so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for a log line matching {@code pattern} (searched with {@code find}).
   *
   * @throws AssertionError on timeout or when the process ends first, with the log
   */
  Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = pattern.matcher(log());
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited (" + process.exitValue() + ") before logging /" + pattern + "/:\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not log /" + pattern + "/ within " + timeout + ":\n" + log());
      }
      Thread.sleep(50);
    }
  }

  /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), then reaps the JVM. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL");
    }
  }

  /**
   * SIGTERM, as an operator's stop or Kubernetes sends, and waits for the JVM to end, which must
   * exit 0: it stopped cleanly.
   *
   * @return how long it took to exit
   * @throws AssertionError when it did not exit within 30 s (it is then killed)
   */
  Duration stop() throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      close();
      throw new AssertionError(name + " did not stop within " + EXIT_WAIT + " of SIGTERM:\n" + log());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(name + " exited " + process.exitValue() + " after SIGTERM, not 0 (a clean stop):\n" + log());
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + process.pid() + ") is still alive after SIGKILL");
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
