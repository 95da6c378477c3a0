package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.SIGKILL;
import static io.fleetrun.worker.process.LibC.SIGTERM;

import java.util.concurrent.TimeUnit;

/**
 * Stopping children and acting on their deadlines, for {@link ChildLoop} (loop thread only).
 *
 * <p>One deadline per child drives everything: while it runs, its timeout starts the stop
 * sequence (cause "timeout"); once stopping, the kill deadline (SIGTERM + grace) sends SIGKILL to
 * the group; after its exit, the drain deadline cuts off pipes held by escapees. The memory guard
 * starts the same sequence with cause "memory" ({@link GroupGuard}).
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
    ProcessGroups.signal(c.pid(), SIGTERM);
    deadlines.schedule(c, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs));
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
    c.escalated = true;
    deadlines.cancel(c);
  }
}
