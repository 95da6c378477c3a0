package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cgroup v1 backend (freezer membership and kill, cpuacct accounting), forced even where
 * cgroup v2 would do, so a v1-only host's path is tested on hosts that have both. The build also
 * runs every supervisor test with it (surefire execution {@code cgroup-v1-backend}).
 */
@ExtendWith(LeakGuard.class)
class CgroupV1Test {

  @Test
  void everyProcessOfATaskIsInItsOwnFreezerAndCpuacctCgroup() throws Exception {
    assumeFreezer();
    try (ProcessSupervisor s = new ProcessSupervisor(Containment.CGROUP_V1)) {
      assertEquals(Containment.CGROUP_V1, s.containment());
      assertTrue(s.containmentDetail().startsWith("cgroup v1 freezer"), s.containmentDetail());
      // a setsid grandchild reports its own cgroups: it left the group, not the cgroup
      TaskResult r = Tasks.await(s.start(Tasks.sh("setsid sh -c 'cat /proc/self/cgroup' </dev/null; wait"), null));

      assertEquals(Outcome.SUCCEEDED, r.outcome(), r.toString());
      String freezer = line(r.stdout().text(), "freezer");
      assertTrue(freezer.contains("/" + Cgroups.BASE_PREFIX) && freezer.contains("/task-"), freezer);
      if (CgroupPaths.ofSelf().cpuacct() != null) {
        String cpuacct = line(r.stdout().text(), "cpuacct");
        assertTrue(cpuacct.contains("/task-"), cpuacct);
      }
    }
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left behind");
  }

  @Test
  void freezerKillStopsAnEscapedTreeThatKeepsForking() throws Exception {
    assumeFreezer();
    try (ProcessSupervisor s = new ProcessSupervisor(Containment.CGROUP_V1)) {
      // the forker left the group and ignores SIGTERM: only the kill through the cgroup reaches it,
      // and it forks all the while; the main shell ignores SIGTERM too, so the grace runs out
      TaskResult r = Tasks.await(s.start(Tasks.sh(
          "trap '' TERM; setsid sh -c 'trap \"\" TERM; while :; do sleep 723 & sleep 0.002; done' &"
              + " sleep 60", 400, 300, Tasks.MIB), null));

      assertEquals(Outcome.TIMED_OUT, r.outcome(), r.toString());
      assertTrue(r.escalatedToKill(), "the grace ran out: " + r);
      // not asserted: descendantsKilled, which counts only what outlived the main child (the
      // escalation's kill may already have taken all of it, then it is 0)
      Procs.assertNoneLeft("sleep 723", 1_000);
    }
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left behind");
  }

  @Test
  void aFrozenCgroupIsThawedAfterTheKillSoItsNextTaskRuns() throws Exception {
    assumeFreezer();
    try (ProcessSupervisor s = new ProcessSupervisor(Containment.CGROUP_V1)) {
      // the first task leaves a background child, killed through the freezer after its exit; the
      // pooled cgroup then serves the next task, which would hang if it had stayed frozen
      TaskResult first = Tasks.await(s.start(Tasks.sh("sleep 724 & echo one"), null));
      TaskResult second = Tasks.await(s.start(Tasks.sh("echo two"), null), 5);

      assertEquals(1, first.descendantsKilled(), first.toString());
      assertEquals("two\n", second.stdout().text(), second.toString());
      Procs.assertNoneLeft("sleep 724", 500);
    }
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left behind");
  }

  /** This process's v1 freezer directory, skipping the test where there is none to write. */
  static Path assumeFreezer() throws Exception {
    Path own = CgroupPaths.ofSelf().freezer();
    assumeTrue(own != null && Files.isWritable(own), "no writable cgroup v1 freezer hierarchy here");
    return own;
  }

  private static String line(String procSelfCgroup, String controller) {
    for (String l : procSelfCgroup.split("\n")) {
      String[] f = l.split(":", 3);
      if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
        return l;
      }
    }
    throw new AssertionError("no " + controller + " line in " + procSelfCgroup);
  }
}
