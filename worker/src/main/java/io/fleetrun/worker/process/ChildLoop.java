package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.*;

import com.sun.jna.Memory;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the one loop thread that owns every child: spawn, read both pipes, watch the exit
 * through a pidfd, run timers (timeout, kill grace, drain), sample the memory of guarded groups
 * ({@link GroupGuard}), reap, clean the group, complete.
 *
 * <p>Other threads only {@link #submit} commands, which wake the loop through the epoll's
 * eventfd. Each child is watched by three tokens ({@code id << 2 | STDOUT, STDERR, EXIT}) and has
 * at most one deadline at a time: the timeout while it runs, the kill deadline after SIGTERM, the
 * drain deadline after its exit. Without pidfd (kernel before 5.3, or pidfd_open failing) a child
 * is polled with wait4(WNOHANG) every {@value #POLL_MS} ms instead.
 */
final class ChildLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ChildLoop.class);
  /** How long pipes may stay open after the exit and the group kill (setsid escapees hold them). */
  static final long DRAIN_AFTER_EXIT_MS = 200;
  static final int POLL_MS = 5;
  private static final int READ_BYTES = 64 * 1024;
  private static final int EXIT = 2;

  private final Epoll epoll = new Epoll();
  private final Spawner spawner = new Spawner();
  private final Memory buffer = new Memory(READ_BYTES);
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Object gate = new Object();
  private boolean accepting = true; // guarded by gate
  private final AtomicInteger live = new AtomicInteger();
  private final Map<Long, Child> children = new HashMap<>();
  /** Pids of the running main children, for the resource sampler on another thread. */
  private final Set<Integer> livePids = ConcurrentHashMap.newKeySet();
  private final Set<Child> polled = new LinkedHashSet<>();
  private final Cgroups cgroups;
  private final Leftovers leftovers;
  private final Deadlines deadlines = new Deadlines();
  private final ChildReaper reaper = new ChildReaper(this, deadlines);
  private final StopSequence stops = new StopSequence(deadlines, reaper);
  private final GroupGuard groupGuard = new GroupGuard(stops);
  private boolean usePidfd;
  private boolean shuttingDown;
  private long nextId = 1;

  /** @param cgroups where task cgroups go, or null for the process-group backend */
  ChildLoop(boolean usePidfd, Cgroups cgroups) {
    this.usePidfd = usePidfd;
    this.cgroups = cgroups;
    this.leftovers = new Leftovers(cgroups == null);
  }

  /** Any thread: queues a command for the loop; false once the loop takes no more commands. */
  boolean submit(Runnable command) {
    synchronized (gate) {
      if (!accepting) {
        return false;
      }
      commands.add(command);
    }
    epoll.wake();
    return true;
  }

  /** Any thread: queues the spawn of {@code child}; false when the supervisor is closed. */
  boolean accept(Child child) {
    live.incrementAndGet();
    if (submit(() -> spawn(child))) {
      return true;
    }
    live.decrementAndGet();
    return false;
  }

  /** Any thread: no command after this one; the loop stops every child and ends when all completed. */
  void beginShutdown() {
    synchronized (gate) {
      if (!accepting) {
        return;
      }
      accepting = false;
      commands.add(this::shutdown);
    }
    epoll.wake();
  }

  int liveChildren() {
    return live.get();
  }

  /** Pids of the main children that run or have not been reaped yet; any thread, a snapshot. */
  int[] livePids() {
    return livePids.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public void run() {
    try {
      while (!shuttingDown || !children.isEmpty()) {
        int ready = epoll.await(nextTimeoutMs());
        for (int i = 0; i < ready; i++) {
          dispatch(epoll.token(i));
        }
        runCommands();
        for (Child c : polled.isEmpty() ? List.<Child>of() : new ArrayList<>(polled)) {
          reaper.tryReap(c);
        }
        for (Child c : leftovers.waiting()) {
          maybeFinish(c);
        }
        long now = System.nanoTime();
        stops.fireDue(now);
        groupGuard.sampleIfDue(now);
        leftovers.sweepIfDue(now, children.values());
      }
    } catch (RuntimeException | Error e) {
      log.error("child loop failed; killing every child it watched", e);
      synchronized (gate) {
        accepting = false;
      }
      shuttingDown = true;
      reaper.abandonAll(children.values(), e);
      children.clear();
      livePids.clear();
    } finally {
      runCommands(); // spawns queued before the shutdown command complete as not started
      epoll.close();
      spawner.close();
      buffer.close();
      reaper.close();
      if (cgroups != null) {
        cgroups.close();
      }
      leftovers.close();
    }
  }

  private void dispatch(long token) {
    if (token == Epoll.WAKE) {
      epoll.clearWake();
      return;
    }
    Child c = children.get(token >>> 2);
    if (c == null) {
      return; // a stale event of a child completed earlier in this round
    }
    int kind = (int) (token & 3);
    if (kind == EXIT) {
      reaper.tryReap(c);
    } else {
      readStream(c, kind);
    }
  }

  /** One read per readiness (level-triggered): a busy stream cannot starve the others. */
  private void readStream(Child c, int stream) {
    int fd = c.fds[stream];
    if (fd < 0) {
      return;
    }
    long n = LibC.read(fd, buffer, READ_BYTES);
    if (n > 0) {
      c.captures[stream].append(buffer, (int) n);
      return;
    }
    if (n < 0) {
      int e = errno();
      if (e == EAGAIN || e == EINTR) {
        return;
      }
      log.warn("reading the output of task {} failed: {}", c.spec().taskId(), strerror(e));
    }
    closeStream(c, stream);
    maybeFinish(c);
  }

  void closeStream(Child c, int stream) {
    epoll.remove(c.fds[stream]);
    LibC.close(c.fds[stream]);
    c.fds[stream] = -1;
  }

  void closePidfd(Child c) {
    polled.remove(c);
    if (c.pidfd >= 0) {
      epoll.remove(c.pidfd);
      LibC.close(c.pidfd);
      c.pidfd = -1;
    }
  }

  private void runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
  }

  private void spawn(Child c) {
    if (shuttingDown || c.cancelRequest != null) {
      String cause = shuttingDown ? StopCause.SHUTDOWN : c.cancelRequest;
      complete(c, c.notStarted(Outcome.CANCELLED, cause, "stopped before it started"));
      return;
    }
    Spawner.Spawned s;
    var registering = Subreaper.SPAWNS.readLock(); // no sweep judges the child before it is registered
    registering.lock();
    try {
      c.cgroup = cgroups == null ? null : createCgroup(c);
      s = spawner.spawn(c.spec().commandLine(), c.env, c.spec().cwd(),
          c.cgroup == null ? null : c.cgroup.joinScript());
      Subreaper.mainChildRuns(s.pid(), c.spec().taskId());
    } catch (Spawner.SpawnException e) {
      registering.unlock();
      log.debug("task {} did not start: {}", c.spec().taskId(), e.getMessage());
      if (c.cgroup != null) {
        cgroups.release(c.cgroup);
      }
      c.hostFault = e.hostFault;
      complete(c, c.notStarted(Outcome.SPAWN_FAILED, null, e.getMessage()));
      return;
    }
    registering.unlock();
    c.id = nextId++;
    c.running(s.pid(), s.stdoutFd(), s.stderrFd(), System.currentTimeMillis());
    children.put(c.id, c);
    livePids.add(s.pid());
    c.pidfd = usePidfd ? pidfdOpen(s.pid()) : -1;
    boolean watched = epoll.add(s.stdoutFd(), c.id << 2 | Child.STDOUT)
        && epoll.add(s.stderrFd(), c.id << 2 | Child.STDERR)
        && (c.pidfd < 0 ? polled.add(c) : epoll.add(c.pidfd, c.id << 2 | EXIT));
    if (!watched) {
      String reason = "cannot watch the child: " + strerror(errno());
      c.started().complete(s.pid());
      reaper.abandonOne(c, reason);
      return;
    }
    if (c.spec().timeoutMs() > 0) {
      deadlines.schedule(c, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(c.spec().timeoutMs()));
    }
    groupGuard.watch(c, System.nanoTime());
    log.debug("task {} runs as pid {}", c.spec().taskId(), s.pid());
    c.started().complete(s.pid());
  }

  private TaskCgroup createCgroup(Child c) throws Spawner.SpawnException {
    try {
      return cgroups.create(c.spec().memoryLimitBytes(), c.spec().pidsLimit());
    } catch (java.io.IOException e) {
      throw new Spawner.SpawnException(e.getMessage(), true);
    }
  }

  private int pidfdOpen(int pid) {
    int fd = (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0);
    if (fd < 0) {
      int e = errno();
      if (e == ENOSYS) {
        usePidfd = false;
        log.info("pidfd_open is not available on this kernel; polling child exits every {} ms", POLL_MS);
      } else {
        log.warn("pidfd_open({}) failed: {}; polling this child's exit", pid, strerror(e));
      }
    }
    return fd;
  }

  /** Starts the stop sequence of {@code c} (see {@link StopSequence#stop}). */
  void stop(Child c, String cause) {
    stops.stop(c, cause);
  }

  private void shutdown() {
    shuttingDown = true;
    if (!children.isEmpty()) {
      log.info("stopping {} children for shutdown", children.size());
    }
    for (Child c : new ArrayList<>(children.values())) {
      stop(c, StopCause.SHUTDOWN);
    }
  }

  /** See {@link Leftovers#awaitSweep}. */
  void awaitSweep(Child c) {
    leftovers.awaitSweep(c);
  }

  private int nextTimeoutMs() {
    long now = System.nanoTime();
    long timeout = earliest(deadlines.millisUntilNext(now), groupGuard.millisUntilNext(now));
    timeout = earliest(timeout, leftovers.millisUntilNext(now));
    if (!polled.isEmpty()) {
      timeout = timeout < 0 ? POLL_MS : Math.min(timeout, POLL_MS);
    }
    return (int) timeout;
  }

  /** The sooner of two waits in ms, where -1 means "none". */
  private static long earliest(long a, long b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  /** Completes {@code c} once nothing of it is left: status reaped, both pipes closed, cgroup empty. */
  void maybeFinish(Child c) {
    if (!c.reaped || c.streamsOpen() || !leftovers.treeGone(c) || children.remove(c.id) == null) {
      return;
    }
    livePids.remove(c.pid());
    deadlines.cancel(c);
    if (c.cgroup != null) {
      releaseCgroup(c);
    }
    complete(c, c.toResult(System.currentTimeMillis()));
  }

  private void releaseCgroup(Child c) {
    long[] cpu = c.cgroup.cpuMillis();
    if (cpu != null) {
      c.treeCpu(cpu);
    }
    if (!cgroups.release(c.cgroup)) {
      log.warn("cannot remove the cgroup {} of task {}", c.cgroup, c.spec().taskId());
    }
  }

  /** The live count drops before the future completes, so a dependent start() finds the slot free. */
  private void complete(Child c, TaskResult result) {
    live.decrementAndGet();
    c.complete(result);
  }

  void fail(Child c, Throwable failure) {
    live.decrementAndGet();
    c.result().completeExceptionally(failure);
  }
}
