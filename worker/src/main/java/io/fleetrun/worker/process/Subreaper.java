package io.fleetrun.worker.process;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-group backend's reach beyond the group: the worker JVM becomes a child subreaper
 * ({@code prctl(PR_SET_CHILD_SUBREAPER)}), so a task's descendant that double-forked or called
 * {@code setsid} is re-parented to the worker when its parent dies, instead of to init. Sweeps
 * then find such adopted processes (parent = the worker, a session other than the worker's,
 * the worker's {@code FLEETRUN_SUPERVISOR} mark), SIGKILL those whose task is no longer running
 * (with their process group), and reap every adopted zombie; what a killed process leaves is
 * adopted in turn and goes in a later sweep, so a tree that keeps forking cannot outrun them.
 *
 * <p>Sweeps run every {@value #SWEEP_MS} ms, and every {@value ChildLoop#POLL_MS} ms while a
 * task that just exited still has its pipes held (an escapee usually holds them), so such a task
 * completes with its whole output instead of having its pipes cut. A process is only ever
 * waited for by its own pid, and only when its session is not the worker's: children the JVM
 * started itself ({@code java.lang.Process}, such as the broker of {@code local} mode) share the
 * worker's session and keep their exit status for the JDK. An adopted process that dropped the
 * mark from its environment is reaped when it exits but not killed (its task is unknown).
 *
 * <p>Loop thread only. Enabling is process-wide and stays on for the JVM's life.
 */
final class Subreaper {
  static final long SWEEP_MS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(Subreaper.class);

  /** Loops using it now; the last one to close turns the JVM's subreaper flag off again. */
  private static int users;
  /**
   * Main children of every supervisor in this JVM not reaped yet, pid to task id: each loop
   * reaps its own with their status, and their tasks still run. Registered whatever the backend,
   * since a cgroup backend's children are this JVM's children too.
   */
  private static final Map<Integer, String> MAIN_CHILDREN = new ConcurrentHashMap<>();
  /**
   * Loops hold the read lock from a spawn until its child is registered in {@link
   * #MAIN_CHILDREN}; a sweep holds the write lock while it decides on and reaps or kills one
   * process, so a child another loop just spawned is never taken for an adopted one.
   */
  static final ReentrantReadWriteLock SPAWNS = new ReentrantReadWriteLock();

  private final int self = (int) ProcessHandle.current().pid();
  private final int selfSession;
  private final int[] status = new int[1];
  private long nextSweepNanos;
  private long hurryUntilNanos;
  private long killedTotal;
  /** Processes already killed and counted, until they are gone from /proc. */
  private final Set<ProcKey> killedAlready = new HashSet<>();

  private record ProcKey(int pid, long startTicks) {}

  private Subreaper(int selfSession) {
    this.selfSession = selfSession;
  }

  /** Makes this JVM a child subreaper; null (logged) when the kernel refuses. */
  static synchronized Subreaper enable() {
    if (users == 0 && LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      log.warn("cannot become a child subreaper ({}): a task's setsid or double-forked descendants are"
          + " only found when the next worker starts", LibC.strerror(LibC.errno()));
      return null;
    }
    users++;
    int session = ProcStat.of((int) ProcessHandle.current().pid()).map(ProcStat::session).orElse(-1);
    return new Subreaper(session);
  }

  /** Any loop thread: a main child was spawned for {@code taskId}. */
  static void mainChildRuns(int pid, String taskId) {
    MAIN_CHILDREN.put(pid, taskId);
  }

  /** Any loop thread: the main child {@code pid} was reaped (or abandoned). */
  static void mainChildEnded(int pid) {
    MAIN_CHILDREN.remove(pid);
  }

  /** A task exited with its pipes still open: sweep at once and often until its drain time ends. */
  void hurry(long now) {
    nextSweepNanos = now;
    hurryUntilNanos = Math.max(hurryUntilNanos, now + TimeUnit.MILLISECONDS.toNanos(ChildLoop.DRAIN_AFTER_EXIT_MS));
  }

  boolean due(long now) {
    return now - nextSweepNanos >= 0;
  }

  /** Milliseconds until the next sweep is due. */
  long millisUntilNext(long now) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextSweepNanos - now));
  }

  /**
   * Sweeps when due.
   *
   * @param tasks every child this loop holds, by task id: what is killed of a reaped one is
   *     counted in its {@code descendantsKilled}, and it completes once nothing of it is found
   */
  void sweep(long now, Map<String, Child> tasks) {
    Set<String> seen = new HashSet<>();
    int killed = sweepOnce(tasks, seen);
    for (Child c : tasks.values()) {
      if (c.awaitingSweep && c.reaped && !seen.contains(c.spec().taskId()) && ProcessGroups.empty(c.pid())) {
        c.awaitingSweep = false; // the loop's next pass over emptying children completes it
      }
    }
    if (killed > 0) {
      killedTotal += killed;
      hurry(now); // reap them as soon as they died
      log.info("killed {} processes whose task had ended ({} since start)", killed, killedTotal);
    }
    long gap = now < hurryUntilNanos ? ChildLoop.POLL_MS : SWEEP_MS;
    nextSweepNanos = now + TimeUnit.MILLISECONDS.toNanos(gap);
  }

  /**
   * One pass: reaps adopted zombies, kills adopted processes of ended tasks (with the groups they
   * lead); returns how many live processes it killed (each counted once, however many passes see
   * it dying) and adds the task id of every live adopted process to {@code seen}.
   */
  private int sweepOnce(Map<String, Child> tasks, Set<String> seen) {
    List<ProcStat> all = ProcStat.all();
    Set<ProcKey> present = new HashSet<>();
    int killed = 0;
    for (ProcStat p : all) {
      present.add(new ProcKey(p.pid(), p.startTicks()));
      if (p.ppid() != self || p.session() == selfSession) {
        continue; // not adopted
      }
      SPAWNS.writeLock().lock();
      try {
        if (MAIN_CHILDREN.containsKey(p.pid())) {
          continue; // a main child: its loop reaps it itself, with its status
        }
        if (p.zombie()) {
          LibC.wait4(p.pid(), status, LibC.WNOHANG, null);
        } else {
          killed += killIfOrphaned(p, all, tasks, seen);
        }
      } finally {
        SPAWNS.writeLock().unlock();
      }
    }
    killedAlready.retainAll(present); // forget the dead: their pids may come back as others
    return killed;
  }

  /** Under the write lock of {@link #SPAWNS}. */
  private int killIfOrphaned(ProcStat p, List<ProcStat> all, Map<String, Child> tasks, Set<String> seen) {
    String[] env = OrphanSweeper.envValues(Path.of("/proc/" + p.pid()), OrphanSweeper.MARK, ChildEnvironment.TASK_ID);
    if (env == null || !OrphanSweeper.SELF.equals(env[0]) || env[1] == null) {
      return 0;
    }
    seen.add(env[1]);
    if (MAIN_CHILDREN.containsValue(env[1])) {
      return 0; // its task still runs (here or in another supervisor): its daemons are its business
    }
    Child owner = tasks.get(env[1]);
    int killed = 0;
    for (ProcStat q : all) {
      boolean target = q.pid() == p.pid() || (p.pgrp() == p.pid() && q.pgrp() == p.pid());
      // members of the task's own group were counted when the group was killed at its exit
      boolean counted = owner != null && q.pgrp() == owner.pid();
      if (target && !q.zombie() && killedAlready.add(new ProcKey(q.pid(), q.startTicks())) && !counted) {
        killed++;
      }
    }
    if (p.pgrp() == p.pid()) {
      LibC.kill(-p.pid(), LibC.SIGKILL);
    }
    LibC.kill(p.pid(), LibC.SIGKILL);
    if (owner != null) {
      owner.descendantsKilled += killed;
    }
    return killed;
  }

  /**
   * Before the loop ends (every task completed): kills every adopted process of this worker and
   * reaps what died, a few rounds while some are found, then gives up the subreaper flag when no
   * other loop uses it.
   */
  void close() {
    for (int round = 0; round < 40; round++) {
      if (sweepOnce(Map.of(), new HashSet<>()) == 0 && killedAlready.isEmpty()) {
        break; // nothing new killed, and all we killed is gone from /proc (reaped)
      }
      try {
        Thread.sleep(ChildLoop.POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (Subreaper.class) {
      if (--users == 0) {
        LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
      }
    }
  }
}
