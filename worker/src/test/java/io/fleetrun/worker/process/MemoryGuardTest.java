package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.MIB;
import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.guarded;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/**
 * The memory guard with real memory hogs: the resident memory of the whole group counts, virtual
 * size does not, and a group over its limit goes through the stop sequence with cause "memory".
 * Each test's processes carry their own marker (m78N) so the /proc checks prove nothing is left.
 */
class MemoryGuardTest extends SupervisedTest {
  private static final long LIMIT = 100 * MIB;

  /** A python process that allocates and touches {@code mib} MiB, then sleeps; {@code marker} names it. */
  private static String hog(int mib, String marker) {
    return "python3 -c \"b = bytearray(" + mib + "*1024*1024); import time; time.sleep(30)  # " + marker + "\"";
  }

  @Test
  void aProcessOverTheLimitIsStoppedAsMemoryLimit() {
    long t0 = System.currentTimeMillis();
    TaskResult r = await(supervisor.start(guarded(hog(300, "m781") + "; true", LIMIT, 2_000), null));
    long took = System.currentTimeMillis() - t0;

    assertEquals(Outcome.MEMORY_LIMIT, r.outcome(), r.toString());
    assertEquals(StopCause.MEMORY, r.cause());
    assertFalse(r.escalatedToKill(), "python dies of the SIGTERM or the kernel's SIGKILL");
    assertNotNull(r.maxRssBytes());
    if (kernelMemoryLimit()) {
      // the kernel's OOM killer ended python at the limit (sampled RSS also counts shared library
      // pages charged elsewhere, so it may read a little above); the shell then ran `true` or got TERM
      assertTrue(r.maxRssBytes() < 200 * MIB, "stopped far below python's 300 MiB: peak " + r.maxRssBytes());
    } else {
      assertNull(r.exitCode(), "the shell died of the group's SIGTERM: raw status kept");
      assertEquals("TERM", r.signal());
      assertTrue(r.maxRssBytes() >= LIMIT, "peak " + r.maxRssBytes());
    }
    assertTrue(took < 5_000, "ended after " + took + " ms");
    Procs.assertNoneLeft("m781", 1_000);
  }

  @Test
  void theWholeGroupCountsNotEachProcess() {
    String cmd = "for i in 1 2 3 4; do " + hog(40, "m782") + " & done; wait";
    TaskResult r = await(supervisor.start(guarded(cmd, LIMIT, 2_000), null));

    assertEquals(Outcome.MEMORY_LIMIT, r.outcome(), "4 x 40 MiB, none above 100 MiB alone: " + r);
    if (!kernelMemoryLimit()) {
      assertTrue(r.maxRssBytes() > LIMIT, "peak " + r.maxRssBytes());
    }
    Procs.assertNoneLeft("m782", 1_000);
  }

  @Test
  void reservedButUntouchedAddressSpaceDoesNotCount() {
    String cmd = "python3 -c 'import mmap, time; m = mmap.mmap(-1, 2*1024**3); time.sleep(0.5); print(len(m))  # m783'";
    TaskResult r = await(supervisor.start(guarded(cmd, LIMIT, 2_000), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.stderr().text());
    assertEquals("2147483648\n", r.stdout().text());
    assertNull(r.cause());
    assertTrue(r.maxRssBytes() > 0 && r.maxRssBytes() < LIMIT, "sampled while it ran: " + r.maxRssBytes());
    Procs.assertNoneLeft("m783", 1_000);
  }

  @Test
  void aSetsidEscapeeCountsAgainstTheLimitWithCgroups() {
    assumeTrue(cgroups(), "a process that left the group is out of a process group's reach");
    String cmd = "setsid " + hog(300, "m786") + " & sleep 30";
    TaskResult r = await(supervisor.start(guarded(cmd, LIMIT, 1_000), null));

    assertEquals(Outcome.MEMORY_LIMIT, r.outcome(), r.toString());
    Procs.assertNoneLeft("m786", 1_000);
  }

  /** True when the kernel enforces the limit (cgroup backend with the v1 memory controller). */
  private static boolean kernelMemoryLimit() {
    return cgroups() && supervisor.containmentDetail().contains("memory limit by cgroup");
  }

  @Test
  void anUnguardedTaskReportsNoPeak() {
    TaskResult r = await(supervisor.start(sh("echo m784; sleep 0.3"), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertNull(r.maxRssBytes());
  }

  @Test
  void ignoredTermUnderTheMemoryLimitIsEscalatedToKill() {
    long t0 = System.currentTimeMillis();
    // the shell lingers after python: killed by the kernel at the limit, python alone ends nothing
    String cmd = "trap '' TERM; " + hog(300, "m785") + "; sleep 30; true";
    TaskResult r = await(supervisor.start(guarded(cmd, LIMIT, 1_000), null));
    long took = System.currentTimeMillis() - t0;

    assertEquals(Outcome.MEMORY_LIMIT, r.outcome());
    assertEquals(StopCause.MEMORY, r.cause());
    assertTrue(r.escalatedToKill());
    assertEquals("KILL", r.signal());
    assertNull(r.exitCode());
    assertTrue(took >= 1_000 && took < 5_000, "ended after " + took + " ms");
    Procs.assertNoneLeft("m785", 1_000);
  }
}
