package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What a child starts with: session, fds, signals, cwd, environment; and readable spawn failures. */
class SpawnTest extends SupervisedTest {

  @Test
  void childLeadsItsOwnSessionWithOnlyStdFdsAndCleanSignals() {
    // no pipeline while ls looks: the shell would hold the pipe's ends until it forked both sides
    ChildHandle h = supervisor.start(sh("cat /proc/$$/stat; ls /proc/$$/fd; echo --;"
        // exec, not a fork: dash blocks every signal around its own forks, and a child that read
        // the shell's mask then would see that, not the mask the worker gave it
        + " readlink /proc/$$/fd/0; exec grep -E '^Sig(Blk|Ign)' /proc/self/status"), null);
    TaskResult r = await(h);
    String[] all = r.stdout().text().split("\n");
    int sep = java.util.Arrays.asList(all).indexOf("--");
    String fds = String.join(" ", java.util.Arrays.copyOfRange(all, 1, sep)) + " ";
    String[] lines = {all[0], fds, all[sep + 1], all[sep + 2], all[sep + 3]};

    ProcStat stat = ProcStat.parse(h.pid(), lines[0]);
    assertEquals(h.pid(), stat.session(), "session id is the child's pid");
    assertEquals(h.pid(), stat.pgrp(), "process group id is the child's pid");
    assertEquals("0 1 2 ", lines[1], "only fds 0, 1, 2");
    assertEquals("/dev/null", lines[2]);
    assertEquals("SigBlk:\t0000000000000000", lines[3]);
    assertEquals("SigIgn:\t0000000000000000", lines[4]);
  }

  @Test
  void cwdAndLayeredEnvironmentAreApplied() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("PATH", "/usr/bin:/bin");
    base.put("HOME", "/nowhere");
    base.put("A", "base");
    base.put("B", "base");
    var spec = Tasks.spec("pwd; env", null, Map.of("B", "task", "C", "task"), "/tmp", 10_000, 1_000, 4096);
    TaskResult r = await(supervisor.start(spec, base));

    List<String> lines = new ArrayList<>(List.of(r.stdout().text().split("\n")));
    assertEquals("/tmp", lines.remove(0));
    Set<String> expected = new TreeSet<>(List.of("PATH=/usr/bin:/bin", "HOME=/nowhere", "A=base",
        "B=task", "C=task", "FLEETRUN_BATCH_ID=batch-test", "FLEETRUN_TASK_ID=" + spec.taskId(),
        "FLEETRUN_SEQ=" + spec.seq(), "FLEETRUN_SUPERVISOR=" + OrphanSweeper.SELF, "PWD=/tmp"));
    assertEquals(expected, new TreeSet<>(lines), "exactly the layered environment (PWD is set by sh)");
  }

  @Test
  void defaultBaseEnvironmentLeaksNothingOfTheWorker() {
    Map<String, String> base = ProcessSupervisor.defaultBaseEnv();
    assertEquals("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", base.get("PATH"));
    assertEquals("C.UTF-8", base.get("LANG"));

    TaskResult r = await(supervisor.start(sh("env"), null));
    Set<String> names = new TreeSet<>();
    for (String line : r.stdout().text().split("\n")) {
      names.add(line.substring(0, line.indexOf('=')));
    }
    Set<String> allowed = new TreeSet<>(Set.of("PATH", "HOME", "LANG", "TMPDIR", "PWD",
        "FLEETRUN_BATCH_ID", "FLEETRUN_TASK_ID", "FLEETRUN_SEQ", "FLEETRUN_SUPERVISOR"));
    assertTrue(allowed.containsAll(names), "unexpected variables in " + names);
    assertTrue(names.containsAll(Set.of("PATH", "HOME", "LANG")));
  }

  @Test
  void argvRunsWithoutShellAndIsFoundOnTheChildsPath() {
    TaskResult r = await(supervisor.start(Tasks.argv(List.of("printf", "%s|", "a b", "c*", "$HOME"), null), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals("a b|c*|$HOME|", r.stdout().text());
  }

  @Test
  void badCwdIsSpawnFailedWithReasonAndLeaksNoFd() {
    int fdsBefore = Procs.openFds();
    List<ChildHandle> handles = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      handles.add(supervisor.start(Tasks.argv(List.of("true"), "/nonexistent/dir"), null));
    }
    for (ChildHandle h : handles) {
      TaskResult r = await(h);
      assertEquals(Outcome.SPAWN_FAILED, r.outcome());
      assertEquals("cwd /nonexistent/dir: No such file or directory", r.error());
      assertEquals(-1, h.pid());
      assertEquals(-1, h.started().join());
    }
    // at most the baseline: the JVM may close fds of its own meanwhile (a jar, a collected stream);
    // the LeakGuard on every supervisor test checks pipes and pidfds by kind
    int after = Procs.settle(Procs::openFds, fdsBefore, 1_000);
    assertTrue(after <= fdsBefore, "open fds back to baseline: " + fdsBefore + " before, " + after + " after");
  }

  @Test
  void missingOrUnrunnableExecutableIsSpawnFailedWithReason() throws Exception {
    Path plain = Files.createTempFile("fleetrun-not-executable", ".txt");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
    int fdsBefore = Procs.openFds();
    TaskResult missing = await(supervisor.start(Tasks.argv(List.of("fleetrun-no-such-exe", "x"), null), null));
    TaskResult absent = await(supervisor.start(Tasks.argv(List.of("/nonexistent/bin/tool"), null), null));
    TaskResult notExecutable = await(supervisor.start(Tasks.argv(List.of(plain.toString()), null), null));
    Files.delete(plain);

    assertEquals(Outcome.SPAWN_FAILED, missing.outcome());
    assertTrue(missing.error().startsWith("executable fleetrun-no-such-exe not found on PATH /usr/local/sbin:"),
        missing.error());
    assertEquals("executable /nonexistent/bin/tool: No such file or directory", absent.error());
    assertEquals("executable " + plain + ": Permission denied", notExecutable.error());
    assertFalse(notExecutable.outcome().ok());
    // at most the baseline: the JVM may close fds of its own meanwhile (a jar, a collected stream);
    // the LeakGuard on every supervisor test checks pipes and pidfds by kind
    int after = Procs.settle(Procs::openFds, fdsBefore, 1_000);
    assertTrue(after <= fdsBefore, "open fds back to baseline: " + fdsBefore + " before, " + after + " after");
  }
}
