package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.testing.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Playwright from npm
 * ({@code src/test/browser/dashboard.mjs}) against a coordinator with a token and two real workers
 * running a batch: the page shows both workers and the running batch, its numbers move with
 * updates from the event-bus bridge, a failed task opens to its stderr, and a worker stopped
 * meanwhile turns DOWN. Saves {@code target/dashboard/dashboard.png} (and {@code
 * dashboard-task.png}, a failed task opened) as artifacts.
 *
 * <p>Without node or Chromium the test is skipped saying so, unless {@code
 * FLEETRUN_REQUIRE_BROWSER=1} (CI sets it), which makes it fail instead. Installs the script's
 * node_modules with {@code npm ci} when they are missing (never a browser download).
 */
@Timeout(300)
class DashboardBrowserTest {
  private static final Path SCRIPT_DIR = Path.of("src", "test", "browser");
  private static final Path OUT = Path.of("target", "dashboard");
  private static final String MARKER = "dashboard-boom";

  @BeforeAll
  static void broker() {
    TestKafka.bootstrap();
  }

  @Test
  void dashboardShowsBothWorkersAndARunningBatchUpdatesLiveOpensAFailedTaskAndShowsAStoppedWorkerDown() throws Exception {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    requireTool(Files.isExecutable(Path.of(chromium)), "Chromium not found at " + chromium
        + " (apt-get install chromium, or set CHROMIUM)");
    requireTool(run(List.of("node", "--version"), SCRIPT_DIR, 30) == 0, "node is not on PATH (apt-get install nodejs)");
    if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
      requireTool(run(List.of("npm", "ci", "--no-audit", "--no-fund"), SCRIPT_DIR, 300) == 0,
          "npm ci in " + SCRIPT_DIR + " failed (playwright-core could not be installed)");
    }
    Files.createDirectories(OUT);
    Path shot = OUT.resolve("dashboard.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    String token = "dash-" + System.nanoTime();
    try (TestFleet f = TestFleet.start(2, 3, token)) {
      String batchId = f.coordinator.submit(FleetIntegrationTest.batchJson("dashboard-test", 240, MARKER));
      try {
        f.coordinator.until("/v1/batches/" + batchId, r -> r.body().path("state").asText().equals("RUNNING"),
            Duration.ofSeconds(60));
        String url = f.coordinator.base + "/?token=" + token;
        List<String> cmd = List.of("node", "dashboard.mjs", url, shot.toString(), "2", MARKER);
        ProcessResult r = runIn(cmd, SCRIPT_DIR, chromium, 180, line -> {
          if (line.contains("\"stage\":\"stop-worker\"")) {
            try {
              f.stopWorker(1); // the page must show it down
            } catch (Exception e) {
              throw new IllegalStateException("stopping worker 2: " + e, e);
            }
          }
        });
        JsonNode report = parseReport(r);
        assertTrue(report.path("ok").asBoolean(), "the page failed: " + report.path("error").asText() + "\n" + r);
        JsonNode before = report.path("before");
        JsonNode after = report.path("after");
        for (String id : f.workerIds) {
          assertTrue(before.path("workerIds").toString().contains("\"" + id + "\""), "worker " + id + " listed: " + before);
        }
        assertEquals("[\"up\",\"up\"]", before.path("workerStates").toString());
        assertEquals("running", before.path("batchState").asText());
        assertEquals("bridge", after.path("source").asText(), "updates came through the event-bus bridge");
        assertNotEquals(before.path("batchDone").asText(), after.path("batchDone").asText(), "progress moved");
        assertTrue(after.path("updates").asInt() > before.path("updates").asInt());
        assertEquals(0, report.path("consoleErrors").size(), report.path("consoleErrors").toString());
        assertTrue(report.path("stderr").asText().contains(MARKER), "stderr of the failed task: " + report);
        JsonNode down = report.path("down");
        assertEquals("[\"up\",\"down\"]", down.path("workerStates").toString(), "the stopped worker shows down: " + down);
        assertPng(shot);
      } finally {
        f.cancel(batchId); // end it quickly, and leave no task for the next test's workers
      }
    }
  }

  /** Skips (or, when CI demands the browser, fails) with {@code why} unless {@code ok}. */
  private static void requireTool(boolean ok, String why) {
    if (ok) {
      return;
    }
    if ("1".equals(System.getenv("FLEETRUN_REQUIRE_BROWSER"))) {
      fail(why + "; FLEETRUN_REQUIRE_BROWSER=1 demands the browser test");
    }
    Assumptions.abort("browser test skipped: " + why);
  }

  private static void assertPng(Path shot) throws IOException {
    assertTrue(Files.isRegularFile(shot), "screenshot saved at " + shot);
    byte[] head = Arrays.copyOf(Files.readAllBytes(shot), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
    assertTrue(Files.size(shot) > 20_000, "a real page, not a blank: " + Files.size(shot) + " bytes");
  }

  private static JsonNode parseReport(ProcessResult r) {
    String[] lines = r.stdout().strip().split("\n");
    try {
      return Json.MAPPER.readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new AssertionError("the browser script printed no report: " + r, e);
    }
  }

  record ProcessResult(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private static int run(List<String> cmd, Path dir, long timeoutSec) {
    try {
      return runIn(cmd, dir, null, timeoutSec, line -> { }).exit();
    } catch (IOException e) {
      return -1; // not installed
    }
  }

  /**
   * Runs {@code cmd} with stdin from /dev/null, hands each stdout line to {@code onLine} as it
   * comes (on a reader thread), keeps stderr in a temp file; kills its whole tree after {@code
   * timeoutSec}.
   */
  private static ProcessResult runIn(List<String> cmd, Path dir, String chromium, long timeoutSec,
      java.util.function.Consumer<String> onLine) throws IOException {
    Path err = Files.createTempFile("fleetrun-node-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(err.toFile());
      pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
      if (chromium != null) {
        pb.environment().put("CHROMIUM", chromium);
        pb.environment().put("FLEETRUN_EXPECT_DOWN", "1");
      }
      Process p = pb.start();
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            synchronized (out) {
              out.append(line).append('\n');
            }
            onLine.accept(line);
          }
        } catch (IOException | RuntimeException e) {
          synchronized (out) {
            out.append("(reading stdout: ").append(e).append(")\n");
          }
        }
      }, "browser-script-stdout");
      reader.start();
      try {
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(cmd + " did not finish in " + timeoutSec + " s; stderr: " + Files.readString(err));
        }
        reader.join(10_000);
      } catch (InterruptedException e) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      synchronized (out) {
        return new ProcessResult(p.exitValue(), out.toString(), Files.readString(err, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
