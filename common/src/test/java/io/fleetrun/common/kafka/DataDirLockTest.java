package io.fleetrun.common.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The data-dir claim, without a broker: stand-in processes play the leftover broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataDirLockTest {
  @TempDir Path dir;

  @Test
  void lockIsExclusiveWithinOneJvmAndFreeAgainAfterRelease() {
    DataDirLock first = DataDirLock.acquire(dir);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DataDirLock.acquire(dir));
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    first.release();
    DataDirLock.acquire(dir).release();
  }

  @Test
  void orphanBrokerOfADeadOwnerIsStoppedBeforeANewStart() throws Exception {
    DataDirLock lock = DataDirLock.acquire(dir);
    // a process whose command line looks like a BrokerMain of this dir
    Process orphan = new ProcessBuilder(List.of("/bin/sh", "-c",
        "sleep 300; : " + EmbeddedBroker.MAIN_CLASS + " --data-dir " + lock.dir())).start();
    try {
      lock.writePid(orphan.pid());
      lock.stopOrphanBroker();
      assertTrue(orphan.waitFor(5, TimeUnit.SECONDS), "the orphan should be stopped");
    } finally {
      orphan.destroyForcibly();
      lock.release();
    }
    assertFalse(Files.exists(dir.resolve("broker.pid")), "release removes the pid file");
  }

  @Test
  void unrelatedProcessUnderARecycledPidIsLeftAlone() throws Exception {
    DataDirLock lock = DataDirLock.acquire(dir);
    Process stranger = new ProcessBuilder(List.of("sleep", "300")).start();
    try {
      lock.writePid(stranger.pid());
      lock.stopOrphanBroker();
      assertTrue(stranger.isAlive());
    } finally {
      stranger.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      lock.release();
    }
  }
}
