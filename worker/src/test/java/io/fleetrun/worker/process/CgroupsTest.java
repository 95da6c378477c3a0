package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.wire.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding this process's cgroups, and cleaning up task cgroups a dead supervisor left. */
@ExtendWith(LeakGuard.class)
class CgroupsTest {

  @Test
  void ownCgroupDirectoriesAreMappedThroughTheirMounts() {
    List<String> cgroup = List.of(
        "8:pids:/", "6:freezer:/ci", "4:memory:/sandbox/abc", "2:cpu,cpuacct:/", "0::/");
    List<String> mounts = List.of(
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "35 31 0:31 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory",
        "39 31 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
        "37 31 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer",
        "33 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "41 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    CgroupPaths p = CgroupPaths.parse(cgroup, mounts);

    assertEquals(Path.of("/sys/fs/cgroup/unified"), p.unified());
    assertEquals(Path.of("/sys/fs/cgroup/memory/sandbox/abc"), p.memory());
    assertEquals(Path.of("/sys/fs/cgroup/pids"), p.pids());
    assertEquals(Path.of("/sys/fs/cgroup/freezer/ci"), p.freezer());
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), p.cpuacct());
    assertEquals(List.of(p.unified(), p.freezer(), p.memory(), p.pids(), p.cpuacct()), p.all(),
        "the hierarchies holding membership come first");
  }

  @Test
  void aPureV2HostHasNoV1Directories() {
    CgroupPaths p = CgroupPaths.parse(List.of("0::/system.slice/worker.service"),
        List.of("25 1 0:24 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"));

    assertEquals(Path.of("/sys/fs/cgroup/system.slice/worker.service"), p.unified());
    assertNull(p.memory());
    assertNull(p.pids());
    assertNull(p.freezer());
    assertEquals(List.of(p.unified()), p.all());
  }

  @Test
  void favordynmodsOnAnyCgroupMountIsSeenAndNowhereElse() {
    List<String> cgroup = List.of("0::/", "4:memory:/");
    String tmpfs = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,favordynmods";
    String memory = "35 31 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory";
    String v2 = "41 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate";

    assertFalse(CgroupPaths.parse(cgroup, List.of(tmpfs, memory, v2)).favorDynmods(), "not a cgroup mount's option");
    assertTrue(CgroupPaths.parse(cgroup, List.of(tmpfs, memory, v2 + ",favordynmods")).favorDynmods());
    assertTrue(CgroupPaths.parse(cgroup, List.of(tmpfs, memory + ",favordynmods", v2)).favorDynmods(),
        "the lock is one for the whole kernel: any cgroup mount's option counts");
  }

  @Test
  void aMountOfASubtreeIsResolvedRelativeToItsRoot() {
    CgroupPaths p = CgroupPaths.parse(List.of("0::/kubepods/pod1/c1"),
        List.of("25 1 0:24 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw"));

    assertEquals(Path.of("/sys/fs/cgroup/c1"), p.unified());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v2", "freezer"})
  void staleTaskCgroupOfADeadSupervisorIsKilledAndRemoved(String hierarchy) throws Exception {
    Path own = hierarchy.equals("v2") ? assumeCgroupV2() : CgroupV1Test.assumeFreezer();
    Path base = own.resolve(Cgroups.BASE_PREFIX + "999999-1-1"); // no process has that pid:starttime
    Path task = Files.createDirectories(base.resolve("task-1"));
    // a process in its own session inside the stale cgroup, as a crashed worker's task would be
    Process p = new ProcessBuilder("setsid", "sh", "-c",
        "echo $$ > " + task.resolve("cgroup.procs") + " && exec sleep 764").start();
    try {
      awaitMember(task);
      assertTrue(Cgroups.sweepStale() >= 1, "the stale task's process was counted");
      assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the stale task's process was killed");
      assertEquals(128 + 9, p.exitValue());
      assertFalse(Files.exists(base), "the stale base directory was removed");
    } finally {
      p.destroyForcibly().waitFor();
      p.getInputStream().close();
      p.getErrorStream().close();
      p.getOutputStream().close();
      Cgroups.deleteQuietly(task);
      Cgroups.deleteQuietly(base);
    }
  }

  @Test
  void theCgroupsOfALiveSupervisorAreLeftAlone() throws Exception {
    assumeCgroupV2();
    try (ProcessSupervisor s = new ProcessSupervisor(Containment.CGROUP)) {
      ChildHandle h = s.start(Tasks.sh("sleep 765"), null);
      h.started().get(5, TimeUnit.SECONDS);
      Cgroups.sweepStale();
      assertTrue(ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false));
      h.cancel(StopCause.CANCEL);
      assertEquals(io.fleetrun.common.wire.Outcome.CANCELLED, Tasks.await(h).outcome());
    }
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left behind");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Containment.class, names = {"CGROUP", "CGROUP_V1"})
  void cpuOfTheWholeTreeIsCountedOncePerTaskInAPooledCgroup(Containment backend) throws Exception {
    if (backend == Containment.CGROUP) {
      assumeCgroupV2();
    } else {
      CgroupV1Test.assumeFreezer();
    }
    try (ProcessSupervisor s = new ProcessSupervisor(backend)) {
      assertEquals(backend, s.containment());
      // the busy loop runs in a background child nobody waits for: rusage of the shell misses it
      TaskResult busy = Tasks.await(s.start(Tasks.sh(
          "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done' & sleep 0.1; wait"), null));
      TaskResult idle = Tasks.await(s.start(Tasks.sh("true"), null));

      assertEquals(io.fleetrun.common.wire.Outcome.SUCCEEDED, busy.outcome(), busy.toString());
      assertTrue(busy.userCpuMs() + busy.sysCpuMs() >= 100, "busy tree: " + busy);
      assertTrue(idle.userCpuMs() + idle.sysCpuMs() < 50, "the next task in the pooled cgroup starts from zero: " + idle);
    }
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left behind");
  }

  static Path assumeCgroupV2() throws Exception {
    Path own = CgroupPaths.ofSelf().unified();
    assumeTrue(own != null && Files.isWritable(own), "no writable cgroup v2 hierarchy here");
    return own;
  }

  static void awaitMember(Path task) throws Exception {
    long end = System.currentTimeMillis() + 5_000;
    while (Files.readString(task.resolve("cgroup.procs")).isBlank()) {
      assertTrue(System.currentTimeMillis() < end, "the process never joined " + task);
      Thread.sleep(10);
    }
  }
}
