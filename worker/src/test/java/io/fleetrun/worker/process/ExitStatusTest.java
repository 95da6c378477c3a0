package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/** L23: exit code and signal are kept apart; the cause comes only from what the worker did. */
class ExitStatusTest extends SupervisedTest {

  @Test
  void exitCodesAndSignalsAreReportedSeparately() {
    ChildHandle ok = supervisor.start(sh("exit 0"), null);
    ChildHandle e250 = supervisor.start(sh("exit 250"), null);
    ChildHandle e137 = supervisor.start(sh("exit 137"), null);
    ChildHandle killed = supervisor.start(sh("kill -KILL $$"), null);
    ChildHandle termed = supervisor.start(sh("kill -TERM $$"), null);

    assertEnded(await(ok), Outcome.SUCCEEDED, 0, null);
    assertEnded(await(e250), Outcome.FAILED, 250, null);
    assertEnded(await(e137), Outcome.FAILED, 137, null);
    assertEnded(await(killed), Outcome.FAILED, null, "KILL");
    assertEnded(await(termed), Outcome.FAILED, null, "TERM");
  }

  @Test
  void shellMessagesKeepTheCommandsOwnLineNumbers() {
    // the cgroup backend's join runs in front of the command, on the command's first line
    TaskResult first = await(supervisor.start(sh("no-such-command-fleetrun-l1"), null));
    TaskResult third = await(supervisor.start(sh("true\ntrue\necho $((1+"), null));

    assertEquals(127, first.exitCode());
    assertTrue(first.stderr().text().startsWith("/bin/sh: 1: no-such-command-fleetrun-l1: not found"),
        first.stderr().text());
    assertEquals(2, third.exitCode());
    assertTrue(third.stderr().text().startsWith("/bin/sh: 3: "), third.stderr().text());
  }

  @Test
  void timeoutIsTheOnlyWayToGetACause() {
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(sh("sleep 723; true", 1_000, 2_000, 1024), null));

    assertEquals(Outcome.TIMED_OUT, r.outcome());
    assertEquals("timeout", r.cause());
    assertEquals("TERM", r.signal(), "the shell dies of the SIGTERM the worker sent");
    assertNull(r.exitCode());
    assertFalse(r.escalatedToKill());
    long took = System.currentTimeMillis() - t0;
    assertTrue(took >= 950 && took < 2_500, "ended " + took + " ms after start");
    Procs.assertNoneLeft("sleep 723", 1_000);
  }

  @Test
  void accountsCpuTimeAndDoesNotReportTheWorkersOwnPeakAsTheChilds() {
    TaskResult r = await(supervisor.start(
        sh("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo $i"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals("300000\n", r.stdout().text());
    assertTrue(r.userCpuMs() + r.sysCpuMs() >= 50, "cpu " + r.userCpuMs() + "+" + r.sysCpuMs() + " ms");
    // ru_maxrss of a vfork-spawned child is the JVM's peak: no figure beats a wrong one
    assertNull(r.maxRssBytes());
    assertTrue(r.durationMs() >= r.userCpuMs() / 2, "wall " + r.durationMs() + " ms");
    assertTrue(r.startedAtMs() > 0 && r.endedAtMs() >= r.startedAtMs());
  }

  private static void assertEnded(TaskResult r, Outcome outcome, Integer exitCode, String signal) {
    assertEquals(outcome, r.outcome(), r.toString());
    assertEquals(exitCode, r.exitCode(), r.toString());
    assertEquals(signal, r.signal(), r.toString());
    assertNull(r.cause(), "the child ended by itself: " + r);
    assertFalse(r.escalatedToKill());
    assertEquals(0, r.descendantsKilled());
  }
}
