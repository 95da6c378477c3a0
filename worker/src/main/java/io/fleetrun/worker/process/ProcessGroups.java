package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.EPERM;
import static io.fleetrun.worker.process.LibC.SIGSTOP;

/**
 * Signals and inspects a task's process group (its pgid is the main child's pid).
 *
 * <p>After the main child is reaped, {@link #killRemaining} is the whole cleanup of its tree as
 * far as process groups reach: one {@code kill(-pgid, SIGSTOP)} answers "anyone left?" in a
 * syscall and freezes the group (the kernel restarts a fork that races a group signal, so no new
 * member can appear), and only when someone is left does it scan /proc to count them exactly (a
 * few ms with a few hundred processes) before the SIGKILL. That scan runs on the loop thread,
 * which is acceptable because it only happens for tasks that left processes behind. A process
 * that left the group (setsid, setpgid) is not reached; containment by cgroup is a later issue.
 */
final class ProcessGroups {
  private ProcessGroups() {}

  /** True when no process (zombies included) is in the group any more. */
  static boolean empty(int pgid) {
    return LibC.kill(-pgid, 0) != 0 && LibC.errno() == LibC.ESRCH;
  }

  /** Sends {@code signal} to every process of the group; false when the group is empty. */
  static boolean signal(int pgid, int signal) {
    return LibC.kill(-pgid, signal) == 0;
  }

  /**
   * SIGKILLs whatever is still in the group and returns how many live (non-zombie) members it
   * had. Zombies (already dead, waiting for init) keep a group "existing" but are not counted.
   */
  static int killRemaining(int pgid) {
    if (LibC.kill(-pgid, SIGSTOP) != 0 && LibC.errno() != EPERM) {
      return 0;
    }
    int live = countLive(pgid);
    LibC.kill(-pgid, LibC.SIGKILL);
    return live;
  }

  static int countLive(int pgid) {
    int n = 0;
    for (ProcStat p : ProcStat.all()) {
      if (p.pgrp() == pgid && !p.zombie()) {
        n++;
      }
    }
    return n;
  }
}
