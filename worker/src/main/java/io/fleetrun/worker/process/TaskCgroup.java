package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.CgroupFiles.field;
import static io.fleetrun.worker.process.CgroupFiles.read;
import static io.fleetrun.worker.process.CgroupFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's cgroups: the home directory every process of the task is in (the child joins it
 * before it runs the task's command, and every descendant stays in it, setsid or not), which is
 * in the cgroup v2 hierarchy or, on a host without a usable one, in the v1 {@code freezer}
 * hierarchy (with the v1 {@code cpuacct} one for CPU accounting); plus the v1 {@code memory} and
 * {@code pids} directories that enforce its limits where the host has them.
 *
 * <p>Loop thread only ({@link ChildLoop}), except {@link #killAndRemove} for stale cgroups.
 * Reads of the cgroup files are a few microseconds each (kernfs, no disk).
 */
final class TaskCgroup {
  private final Path home;
  /** True when {@link #home} is a v2 cgroup (cgroup.kill, cgroup.events, cpu.stat), false for v1 freezer. */
  private final boolean v2;
  private final Path cpuacct;
  private final Path memory;
  private final Path pids;
  private long oomKillsSeen;
  /** False once a kill found the cgroup empty; saves a read per task on the hot path. */
  private boolean maybePopulated = true;
  /** User and system CPU ms when this task began: a pooled cgroup's counters run on. */
  private long[] cpuBase = {0, 0};

  /**
   * @param home the v2 directory, or the v1 freezer one when {@code v2} is false
   * @param cpuacct the v1 cpuacct directory (v1 only; null for none), memory and pids likewise
   */
  TaskCgroup(Path home, boolean v2, Path cpuacct, Path memory, Path pids) {
    this.home = home;
    this.v2 = v2;
    this.cpuacct = cpuacct;
    this.memory = memory;
    this.pids = pids;
  }

  /** A task cgroup some dead supervisor left, of whichever kind its files show. */
  static TaskCgroup stale(Path dir) {
    return new TaskCgroup(dir, Files.exists(dir.resolve("cgroup.kill")), null, null, null);
  }

  /**
   * The shell commands by which the child puts itself into every directory of this task before it
   * runs anything else; a failed join ends the child with exit code 125 and a message on stderr.
   * One line, ending in "; ", that the task's command continues: the shell's messages keep the
   * command's own line numbers.
   */
  String joinScript() {
    StringBuilder sb = new StringBuilder();
    for (Path dir : dirs()) {
      sb.append("echo $$ >").append(quote(dir.resolve("cgroup.procs").toString()))
          .append(" || { echo 'fleetrun: cannot join the task cgroup' >&2; exit 125; }; ");
    }
    return sb.toString();
  }

  private List<Path> dirs() {
    List<Path> dirs = new ArrayList<>(4);
    dirs.add(home);
    if (cpuacct != null) {
      dirs.add(cpuacct);
    }
    if (memory != null) {
      dirs.add(memory);
    }
    if (pids != null) {
      dirs.add(pids);
    }
    return dirs;
  }

  /** The pids in the task's cgroup now (live processes; zombies have left it). */
  int[] members() {
    String procs = read(home.resolve("cgroup.procs"));
    if (procs == null || procs.isEmpty()) {
      return new int[0];
    }
    String[] lines = procs.trim().split("\n");
    int[] pids = new int[lines.length];
    for (int i = 0; i < lines.length; i++) {
      pids[i] = Integer.parseInt(lines[i].trim());
    }
    return pids;
  }

  /** Sends {@code signal} to every process of the task, in or out of its process group. */
  void signalAll(int signal) {
    for (int pid : members()) {
      LibC.kill(pid, signal);
    }
  }

  /**
   * SIGKILLs every process of the task at once ({@code cgroup.kill}, or freeze, kill and thaw on
   * v1); returns how many were alive.
   */
  int kill() {
    int alive = members().length;
    if (alive > 0) {
      if (v2) {
        write(home.resolve("cgroup.kill"), "1");
      } else {
        alive = FreezerKill.kill(home, this::members);
      }
    }
    maybePopulated = alive > 0;
    return alive;
  }

  /** True while any process of the task lives. */
  boolean populated() {
    if (!maybePopulated) {
      return false; // the kill found it empty: nothing can join an empty cgroup of ours
    }
    String events = v2 ? read(home.resolve("cgroup.events")) : null;
    return events == null ? members().length > 0 : events.contains("populated 1");
  }

  /** True once the kernel's OOM killer acted in the task's memory cgroup since the last call. */
  boolean newOomKill() {
    if (memory == null) {
      return false;
    }
    long kills = field(read(memory.resolve("memory.oom_control")), "oom_kill");
    boolean fresh = kills > oomKillsSeen;
    oomKillsSeen = Math.max(oomKillsSeen, kills);
    return fresh;
  }

  /** True when a fork or clone of the task was refused at its pids limit. */
  boolean pidsLimitHit() {
    return pids != null && field(read(pids.resolve("pids.events")), "max") > 0;
  }

  /**
   * User and system CPU of every process the task ran, in ms ({@code cpu.stat} on v2, {@code
   * cpuacct.usage_user} and {@code usage_sys} on v1), or null. Call once, at the task's end: the
   * reading is also the base of the next task in this cgroup.
   */
  long[] cpuMillis() {
    long[] total = v2 ? cpuV2() : cpuV1();
    if (total == null) {
      return null;
    }
    long[] used = {total[0] - cpuBase[0], total[1] - cpuBase[1]};
    cpuBase = total;
    return used;
  }

  private long[] cpuV2() {
    String stat = read(home.resolve("cpu.stat"));
    long user = field(stat, "user_usec");
    long system = field(stat, "system_usec");
    return user < 0 || system < 0 ? null : new long[] {user / 1000, system / 1000};
  }

  private long[] cpuV1() {
    if (cpuacct == null) {
      return null;
    }
    String user = read(cpuacct.resolve("cpuacct.usage_user"));
    String system = read(cpuacct.resolve("cpuacct.usage_sys"));
    if (user == null || system == null) {
      return null;
    }
    return new long[] {Long.parseLong(user.trim()) / 1_000_000, Long.parseLong(system.trim()) / 1_000_000};
  }

  /** This pooled cgroup, ready for its next task. */
  TaskCgroup reused() {
    maybePopulated = true;
    return this;
  }

  /** No kernel limits to reset (home and cpuacct only): it can serve another task once empty. */
  boolean reusable() {
    return memory == null && pids == null;
  }

  /** Removes every directory of the task; false while one is still busy (a process not yet gone). */
  boolean remove() {
    boolean removed = true;
    for (Path dir : dirs()) {
      removed &= Cgroups.deleteQuietly(dir);
    }
    return removed;
  }

  /**
   * For stale cgroups: kills what is left (cgroup.kill, the freezer, or one SIGKILL each where the
   * directory has neither), waits briefly, removes.
   */
  int killAndRemove() {
    int killed;
    if (v2 || Files.exists(home.resolve(FreezerKill.STATE))) {
      killed = kill();
    } else {
      int[] left = members();
      for (int pid : left) {
        LibC.kill(pid, LibC.SIGKILL);
      }
      killed = left.length;
    }
    for (int i = 0; i < 100 && members().length > 0; i++) {
      sleep(10);
    }
    remove();
    return killed;
  }

  @Override
  public String toString() {
    return home.toString();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
