package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.SIGKILL;
import static io.fleetrun.worker.process.LibC.SIGTERM;

import java.util.concurrent.TimeUnit;

/**
 * Stopping children and acting on their deadlines, for {@link ChildLoop} (loop thread only).
 *
 * <p>One deadline per child drives everything: while it runs, its timeout starts the stop
 * sequence (cause "timeout"); once stopping, the kill deadline (SIGTERM + grace) sends SIGKILL to
 * the group (and, with the cgroup backend, the task's whole cgroup at once); after its exit, the
 * drain deadline cuts off pipes held by escapees. The memory and pids guard starts the same
 * sequence with cause "memory" or "pids" ({@link GroupGuard}).
 */
final class StopSequence {
  private final Deadlines deadlines;
  private final ChildReaper reaper;

  StopSequence(Deadlines deadlines, ChildReaper reaper) {
    this.deadlines = deadlines;
    this.reaper = reaper;
  }

  /**
   * SIGTERM to the whole group now, SIGKILL when the task's grace has passed (at once for a grace
   * of 0). Does nothing for a child that is not running, already stopping, or already exited.
   */
  void stop(Child c, String cause) {
    if (c.pid() <= 0 || c.reaped || c.stopCause != null) {
      return;
    }
    c.stopCause = cause;
    long graceMs = c.spec().killGraceMs();
    if (graceMs <= 0) {
      escalate(c);
      return;
    }
    signalTree(c, SIGTERM);
    deadlines.schedule(c, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs));
  }

  /**
   * The group at once (a fork racing a group signal is restarted, so no member is missed), then
   * with the cgroup backend each process of the task that left the group (setsid, setpgid).
   */
  private static void signalTree(Child c, int signal) {
    ProcessGroups.signal(c.pid(), signal);
    if (c.cgroup != null) {
      for (int pid : c.cgroup.members()) {
        ProcStat.of(pid).filter(p -> p.pgrp() != c.pid()).ifPresent(p -> LibC.kill(pid, signal));
      }
    }
  }

  /** Runs the action of every deadline that has passed. */
  void fireDue(long nowNanos) {
    Child c;
    while ((c = deadlines.pollDue(nowNanos)) != null) {
      if (c.reaped) {
        reaper.abandonStreams(c);
      } else if (c.stopCause == null) {
        stop(c, StopCause.TIMEOUT);
      } else {
        escalate(c);
      }
    }
  }

  private void escalate(Child c) {
    ProcessGroups.signal(c.pid(), SIGKILL);
    if (c.cgroup != null) {
      c.cgroup.kill();
    }
    c.escalated = true;
    deadlines.cancel(c);
  }
}
