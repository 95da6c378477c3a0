package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.LeakGuard;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a crashed worker left running is found by its mark and killed; nothing else is. */
@ExtendWith(LeakGuard.class)
class OrphanSweeperTest {
  /** A mark naming a JVM that no longer runs: a process that has exited. */
  private static String deadSupervisorMark() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    closeStreams(gone);
    return gone.pid() + ":1";
  }

  /** A process in its own session carrying {@code mark}, as a crashed worker's child would. */
  private static Process marked(String mark, String sleep) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", sleep);
    pb.environment().put(OrphanSweeper.MARK, mark);
    return pb.start();
  }

  private static void closeStreams(Process p) throws Exception {
    p.getInputStream().close();
    p.getErrorStream().close();
    p.getOutputStream().close();
  }

  @Test
  void killsWhatADeadWorkerLeftAndSparesLiveWorkersChildren() throws Exception {
    Process orphan = marked(deadSupervisorMark(), "761");
    Process ours = marked(OrphanSweeper.SELF, "762");
    Process unmarked = new ProcessBuilder("sleep", "763").start();
    try {
      awaitMark(orphan);
      assertTrue(ProcessSupervisor.killOrphansOfDeadWorkers() >= 1);
      assertTrue(orphan.waitFor(5, TimeUnit.SECONDS), "the orphan was killed");
      assertEquals(128 + 9, orphan.exitValue());
      assertTrue(ours.isAlive(), "a child of a live supervisor is left alone");
      assertTrue(unmarked.isAlive(), "a process without the mark is left alone");
    } finally {
      for (Process p : new Process[] {orphan, ours, unmarked}) {
        p.destroyForcibly().waitFor();
        closeStreams(p);
      }
    }
  }

  @Test
  void aReusedPidWithAnotherStartTimeCountsAsDead() {
    long self = ProcessHandle.current().pid();
    assertTrue(OrphanSweeper.alive(OrphanSweeper.SELF));
    assertFalse(OrphanSweeper.alive(self + ":" + (Long.parseLong(OrphanSweeper.startTime(self)) + 1)));
  }

  /** The environment is readable once exec happened; wait for that. */
  private static void awaitMark(Process p) throws InterruptedException {
    for (int i = 0; i < 200 && OrphanSweeper.markOf(Path.of("/proc/" + p.pid())) == null; i++) {
      Thread.sleep(10);
    }
  }
}
