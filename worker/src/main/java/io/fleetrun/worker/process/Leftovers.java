package io.fleetrun.worker.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a task's main child leaves when it exits, for {@link ChildLoop} (loop thread only): a
 * task completes only once its tree is gone, that is its cgroup is empty (cgroup backend) or a
 * {@link Subreaper} sweep found nothing of it left (process-group backend), each wait bounded. The
 * children still waiting are polled every {@value ChildLoop#POLL_MS} ms.
 */
final class Leftovers {
  /** How long a killed cgroup may take to empty before the child completes without it. */
  static final long TREE_GONE_MS = 10_000;
  /** How long a task of the process-group backend waits for sweeps to find nothing of it left. */
  static final long SWEEP_GIVE_UP_MS = 2_000;

  /** Reaped children whose tree is not gone yet. */
  private final Set<Child> emptying = new LinkedHashSet<>();
  /**
   * The process-group backend's reach past the group, and the reaper of orphans when the worker
   * runs as PID 1; null otherwise (a cgroup reaches every descendant).
   */
  private final Subreaper subreaper;

  Leftovers(boolean processGroups) {
    // as PID 1 (a container without an init) every orphan comes here: reap them whatever the backend
    subreaper = processGroups || ProcessHandle.current().pid() == 1 ? Subreaper.enable() : null;
  }

  /**
   * A task exited leaving processes (its pipes still held, or group members killed): with a
   * subreaper, it completes only once a sweep finds nothing of it left.
   */
  void awaitSweep(Child c) {
    if (subreaper != null) {
      c.awaitingSweep = true;
      subreaper.hurry(System.nanoTime());
    }
  }

  /**
   * True when nothing of the task's tree is left: its cgroup is empty, or (process groups) no
   * sweep is awaited; or when it stopped emptying in time (the result's error says so).
   */
  boolean treeGone(Child c) {
    if (c.cgroup == null && c.awaitingSweep) {
      if (!overdue(c, SWEEP_GIVE_UP_MS)) {
        emptying.add(c);
        return false;
      }
      c.awaitingSweep = false;
      c.addError("processes of the task were still found " + SWEEP_GIVE_UP_MS + " ms after its exit"
          + " (uninterruptible sleep?); the worker kills them when it finds them");
    }
    if (c.cgroup == null || !c.cgroup.populated()) {
      emptying.remove(c);
      return true;
    }
    if (overdue(c, TREE_GONE_MS)) {
      emptying.remove(c);
      c.addError(c.cgroup.members().length + " processes of the task were still alive "
          + TREE_GONE_MS + " ms after SIGKILL (uninterruptible sleep?)");
      return true;
    }
    emptying.add(c);
    return false;
  }

  private static boolean overdue(Child c, long millis) {
    return System.nanoTime() - c.treeKilledAtNanos > TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** The children to check again (a copy: checking may remove them). */
  List<Child> waiting() {
    return emptying.isEmpty() ? List.of() : new ArrayList<>(emptying);
  }

  /** Runs the subreaper's sweep when it is due; {@code children} are every child the loop holds. */
  void sweepIfDue(long now, Collection<Child> children) {
    if (subreaper != null && subreaper.due(now)) {
      Map<String, Child> byTask = new HashMap<>();
      children.forEach(c -> byTask.put(c.spec().taskId(), c));
      subreaper.sweep(now, byTask);
    }
  }

  /** Milliseconds until something here is due, -1 for nothing. */
  long millisUntilNext(long now) {
    long next = subreaper == null ? -1 : subreaper.millisUntilNext(now);
    return emptying.isEmpty() ? next : next < 0 ? ChildLoop.POLL_MS : Math.min(next, ChildLoop.POLL_MS);
  }

  /** After the last child completed: kills and reaps what the subreaper still finds. */
  void close() {
    if (subreaper != null) {
      subreaper.close();
    }
  }
}
