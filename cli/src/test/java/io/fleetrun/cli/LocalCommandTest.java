package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.LeakGuard;
import org.junit.jupiter.api.extension.ExtendWith;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleetrun local}, the README's main job, run in-process with its own broker. */
@Timeout(240)
@ExtendWith(LeakGuard.class)
class LocalCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void sharedResources() {
    new CoordinatorClient("http://127.0.0.1:1", null); // the CLI's one HTTP client lives with the JVM
  }

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Run(Fleetrun.run(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void runsTheShippedExampleAndWritesAJoblogRowPerTask() throws Exception {
    Path joblog = tmp.resolve("joblog.tsv");
    Path batch = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/checksums.txt");
    Run r = run("local", batch.toString(), "--joblog", joblog.toString(), "--data-dir", tmp.resolve("kafka").toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("SUCCEEDED"), r.out());
    List<String> rows = Files.readAllLines(joblog);
    assertEquals("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand", rows.get(0));
    long commands = Files.readAllLines(batch).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    assertEquals(commands, rows.size() - 1);
    assertTrue(rows.stream().skip(1).allMatch(l -> l.split("\t")[6].equals("0") && l.split("\t")[7].equals("0")), rows.toString());
    assertEquals(0, ChildProcesses.liveTaskRoots());
  }

  @Test
  void exitsOneAndShowsTheFailedTasksStderrWhenATaskFails() throws Exception {
    Path batch = tmp.resolve("fails.txt");
    Files.writeString(batch, "echo fine\necho 'something broke' >&2; exit 3\n");
    Run r = run("local", batch.toString(), "--no-progress");
    assertEquals(Fleetrun.EXIT_TASKS_FAILED, r.code(), r.out());
    assertTrue(r.out().contains("something broke"), r.out());
    assertTrue(r.out().contains("exit 3"), r.out());
  }

  @Test
  void aTimeoutFromTheCommandLineStopsATextBatchsTaskAsGnuParallelsDoes() throws Exception {
    Path batch = tmp.resolve("slow.txt");
    Files.writeString(batch, "echo quick\nsleep 30\n");
    Path joblog = tmp.resolve("slow.tsv");
    long t0 = System.nanoTime();
    Run r = run("local", batch.toString(), "--timeout", "1", "--no-progress", "--joblog", joblog.toString());
    assertEquals(Fleetrun.EXIT_TASKS_FAILED, r.code(), r.out());
    assertTrue(r.out().contains("timed_out 1"), r.out());
    assertTrue((System.nanoTime() - t0) / 1_000_000_000 < 25, "the sleep did not run its 30 s: " + r.out());
    List<String> rows = Files.readAllLines(joblog);
    assertTrue(rows.stream().anyMatch(l -> l.endsWith("\tsleep 30") && l.split("\t")[6].equals("-1")
        && l.split("\t")[7].equals("15")), "Exitval -1 and Signal 15, as GNU parallel writes for a timeout: " + rows);
    assertTrue(rows.stream().anyMatch(l -> l.endsWith("\techo quick") && l.split("\t")[6].equals("0")), rows.toString());
  }

  @Test
  void aBadTimeoutIsRefusedNamingTheOption() {
    for (String bad : new String[] {"0", "5x", "200h"}) {
      PrintStream savedErr = System.err;
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      Run r;
      try {
        r = run("local", "--timeout", bad, Path.of(System.getProperty("user.dir")).getParent()
            .resolve("examples/checksums.txt").toString());
      } finally {
        System.setErr(savedErr);
      }
      assertEquals(Fleetrun.EXIT_USAGE, r.code(), bad + ": " + err);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("--timeout:"), bad + ": " + err);
      assertTrue(!r.out().contains("starting broker"), "no broker was started: " + r.out());
    }
  }

  @Test
  void aBadBatchFileIsRefusedBeforeAnyBrokerStarts() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.json"),
        "{\"tasks\": [{\"cmd\": \"true\"}, {\"cmd\": \"true\", \"timeoutMs\": -5}]}");
    PrintStream savedErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Run r;
    try {
      r = run("local", bad.toString());
    } finally {
      System.setErr(savedErr);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(Fleetrun.EXIT_USAGE, r.code(), message);
    assertTrue(message.contains("tasks[1].timeoutMs"), message);
    assertEquals(1, message.split("tasks\\[1\\]\\.timeoutMs", -1).length - 1, "the field is named once: " + message);
    assertTrue(!r.out().contains("starting broker"), "no broker was started: " + r.out());
  }

  @Test
  void refusesACapAtTheThresholdWithAClearMessage() {
    PrintStream savedErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Fleetrun.run("worker", "--max-children", "23", "--threshold", "23");
      assertEquals(Fleetrun.EXIT_USAGE, code);
    } finally {
      System.setErr(savedErr);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("max-children: 23 is not below the threshold 23"), err.toString());
  }
}
