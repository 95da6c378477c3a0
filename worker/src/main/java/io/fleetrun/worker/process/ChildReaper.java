package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.*;

import com.sun.jna.Memory;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * The end of a child's life, for {@link ChildLoop} (loop thread only): reap the status, kill
 * what is left of the process group, give the pipes a bounded drain, release every fd.
 *
 * <p>Only pids the loop spawned are waited for, each by its own pid: a {@code waitpid(-1)} would
 * steal exit statuses from {@code java.lang.Process} children of the same JVM (the broker).
 * Group or cgroup members killed here are not our children (they are reparented to init or, with
 * the process-group backend, to this worker as subreaper, where {@link Subreaper} reaps them).
 */
final class ChildReaper implements AutoCloseable {
  private final ChildLoop loop;
  private final Deadlines deadlines;
  private final Memory rusage = new Memory(RUSAGE_BYTES);
  private final int[] status = new int[1];

  ChildReaper(ChildLoop loop, Deadlines deadlines) {
    this.loop = loop;
    this.deadlines = deadlines;
  }

  /** Reaps {@code c} if it has exited (WNOHANG: a spurious wakeup does nothing). */
  void tryReap(Child c) {
    int r = wait4(c.pid(), status, WNOHANG, rusage);
    if (r == 0) {
      return;
    }
    if (r < 0) {
      int e = errno();
      if (e == EINTR) {
        return;
      }
      c.statusLost("wait4: " + strerror(e));
    } else {
      c.exited(status[0], rusage);
    }
    afterExit(c);
  }

  private void afterExit(Child c) {
    loop.closePidfd(c);
    if (c.cgroup != null) {
      killTree(c);
    } else {
      c.descendantsKilled = ProcessGroups.killRemaining(c.pid());
      c.treeKilledAtNanos = System.nanoTime();
      if (c.streamsOpen() || c.descendantsKilled > 0 || !ProcessGroups.empty(c.pid())) {
        loop.awaitSweep(c); // pipes held, processes killed or zombies in the group: someone may be left
      }
    }
    if (c.streamsOpen()) {
      deadlines.schedule(c, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ChildLoop.DRAIN_AFTER_EXIT_MS));
    } else {
      deadlines.cancel(c);
    }
    loop.maybeFinish(c);
  }

  /**
   * Cgroup backend: what the kernel did under the task's limits becomes its cause (the worker set
   * those limits), then everything still in the cgroup is killed at once. The loop completes the
   * child only once the cgroup is empty ({@link ChildLoop#maybeFinish}).
   */
  private static void killTree(Child c) {
    if (c.stopCause == null && c.cgroup.newOomKill()) {
      c.stopCause = StopCause.MEMORY;
    } else if (c.stopCause == null && c.cgroup.pidsLimitHit()) {
      c.stopCause = StopCause.PIDS;
    }
    c.descendantsKilled = c.cgroup.kill();
    c.treeKilledAtNanos = System.nanoTime();
  }

  /** The drain deadline passed: whoever still holds a pipe is outside the group; stop reading. */
  void abandonStreams(Child c) {
    for (int stream = Child.STDOUT; stream <= Child.STDERR; stream++) {
      if (c.fds[stream] >= 0) {
        loop.closeStream(c, stream);
        c.streamAbandoned(stream, ChildLoop.DRAIN_AFTER_EXIT_MS);
      }
    }
    loop.maybeFinish(c);
  }

  /** The kernel refused to watch a fresh child: kill it, reap it now, report why. */
  void abandonOne(Child c, String reason) {
    ProcessGroups.signal(c.pid(), SIGKILL);
    int r = wait4(c.pid(), status, 0, rusage);
    if (r == c.pid()) {
      c.exited(status[0], rusage);
    } else {
      c.statusLost("wait4: " + strerror(errno()));
    }
    c.addError(reason);
    loop.closePidfd(c);
    ProcessGroups.killRemaining(c.pid());
    if (c.cgroup != null) {
      killTree(c);
    }
    for (int stream = Child.STDOUT; stream <= Child.STDERR; stream++) {
      if (c.fds[stream] >= 0) {
        loop.closeStream(c, stream);
      }
    }
    loop.maybeFinish(c);
  }

  /** The loop is failing: kill and reap every child, close its fds, fail its future. */
  void abandonAll(Collection<Child> children, Throwable failure) {
    for (Child c : children) {
      if (!c.reaped) { // a reaped child's pid may already be reused: never signal it
        ProcessGroups.signal(c.pid(), SIGKILL);
        wait4(c.pid(), status, 0, null);
        c.markReaped(); // nor may a late stop command
      }
      if (c.cgroup != null) {
        c.cgroup.killAndRemove();
      }
      Spawner.closeAll(c.pidfd, c.fds[Child.STDOUT], c.fds[Child.STDERR]);
      loop.fail(c, failure);
    }
  }

  @Override
  public void close() {
    rusage.close();
  }
}
