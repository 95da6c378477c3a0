package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus' own parser on a scrape: {@code promtool check metrics} (the Prometheus project's
 * Go text-format parser plus its naming lint). Found through {@code PROMTOOL} (CI extracts it from
 * Debian's prometheus package) or on PATH; without it only the strict {@link PrometheusText}
 * check runs, and a line in the log says so.
 */
final class PromtoolCheck {
  private static final Logger log = LoggerFactory.getLogger(PromtoolCheck.class);
  /** promtool's exit code when the text parsed but the lint found problems. */
  private static final int LINT_PROBLEMS = 3;

  private PromtoolCheck() {}

  /**
   * Fails unless promtool parses {@code text}; also fails when its lint names a metric starting
   * with one of {@code ownPrefixes} (other libraries' names are theirs to fix).
   */
  static void parsesAndLintsClean(String text, String... ownPrefixes) {
    Path tool = find();
    if (tool == null) {
      log.warn("promtool not found (set PROMTOOL or put it on PATH): only the strict Java check of /metrics ran");
      return;
    }
    try {
      Path in = Files.createTempFile("fleetrun-metrics-", ".txt");
      Path out = Files.createTempFile("fleetrun-promtool-", ".txt");
      try {
        Files.writeString(in, text, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(tool.toString(), "check", "metrics").redirectInput(in.toFile())
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail("promtool check metrics did not finish in 60 s");
        }
        String report = Files.readString(out, StandardCharsets.UTF_8);
        int code = p.exitValue();
        assertTrue(code == 0 || code == LINT_PROBLEMS, "promtool could not parse /metrics (exit " + code + "): " + report);
        for (String line : report.split("\n")) {
          for (String prefix : ownPrefixes) {
            assertTrue(!line.startsWith(prefix), "promtool lint on our own metric: " + line);
          }
        }
      } finally {
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("running " + tool + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Path find() {
    String env = System.getenv("PROMTOOL");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      assertTrue(Files.isExecutable(p), "PROMTOOL=" + env + " is not an executable file");
      return p;
    }
    for (String dir : List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
