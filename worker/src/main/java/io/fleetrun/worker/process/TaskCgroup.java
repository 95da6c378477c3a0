package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's cgroups: the v2 directory every process of the task is in (the child joins it
 * before it runs the task's command, and every descendant stays in it, setsid or not), plus the
 * v1 {@code memory} and {@code pids} directories that enforce its limits where the host has them.
 *
 * <p>Loop thread only ({@link ChildLoop}), except {@link #killAndRemove} for stale cgroups.
 * Reads of the cgroup files are a few microseconds each (kernfs, no disk).
 */
final class TaskCgroup {
  private final Path unified;
  private final Path memory;
  private final Path pids;
  private long oomKillsSeen;
  /** False once a kill found the cgroup empty; saves a read per task on the hot path. */
  private boolean maybePopulated = true;
  /** cpu.stat user and system ms when this task began: a pooled cgroup's counters run on. */
  private long[] cpuBase = {0, 0};

  TaskCgroup(Path unified, Path memory, Path pids) {
    this.unified = unified;
    this.memory = memory;
    this.pids = pids;
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
    List<Path> dirs = new ArrayList<>(3);
    dirs.add(unified);
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
    String procs = read(unified.resolve("cgroup.procs"));
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

  /** SIGKILLs every process of the task at once (cgroup.kill); returns how many were alive. */
  int kill() {
    int alive = members().length;
    if (alive > 0) {
      write(unified.resolve("cgroup.kill"), "1");
    }
    maybePopulated = alive > 0;
    return alive;
  }

  /** True while any process of the task lives. */
  boolean populated() {
    if (!maybePopulated) {
      return false; // the kill found it empty: nothing can join an empty cgroup of ours
    }
    String events = read(unified.resolve("cgroup.events"));
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
   * User and system CPU of every process the task ran, in ms ({@code cpu.stat}), or null. Call
   * once, at the task's end: the reading is also the base of the next task in this cgroup.
   */
  long[] cpuMillis() {
    String stat = read(unified.resolve("cpu.stat"));
    long user = field(stat, "user_usec");
    long system = field(stat, "system_usec");
    if (user < 0 || system < 0) {
      return null;
    }
    long[] total = {user / 1000, system / 1000};
    long[] used = {total[0] - cpuBase[0], total[1] - cpuBase[1]};
    cpuBase = total;
    return used;
  }

  /** This pooled cgroup, ready for its next task. */
  TaskCgroup reused() {
    maybePopulated = true;
    return this;
  }

  /** Only a v2 directory (no kernel limits to reset): it can serve another task once empty. */
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

  /** For stale cgroups: kills what is left (v1 directories have no cgroup.kill), waits briefly, removes. */
  int killAndRemove() {
    int killed;
    if (Files.exists(unified.resolve("cgroup.kill"))) {
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
    return unified.toString();
  }

  /** The number after {@code name } on its own line of a flat-keyed cgroup file; -1 when absent. */
  static long field(String text, String name) {
    if (text == null) {
      return -1;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null; // removed, or not offered by this kernel
    }
  }

  private static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      // the cgroup emptied and went away meanwhile: nothing left to kill
    }
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
