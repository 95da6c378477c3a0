package io.fleetrun.worker.process;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskSpec;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the life of every child process of the worker: spawn, watch, stop, reap, account.
 *
 * <p>Why not {@code java.lang.Process}: the JDK keeps about three threads per child, cannot put
 * a child in its own session, and reports a signal death as 128+n. Here one thread, {@value
 * #THREAD_NAME}, serves all children through epoll and pidfds (see {@link ChildLoop}); exit code
 * and signal stay apart; every child is its own session and process group, so the stop sequence
 * (SIGTERM, grace, SIGKILL) and the final cleanup reach its whole group; with the {@link
 * Containment#CGROUP} backend also every descendant that left the group, through the task's own
 * cgroup, which the supervisor removes before the task completes. A task with a
 * {@code memoryLimitBytes} is stopped the same way (outcome MEMORY_LIMIT) once the sampled RSS of
 * its group passes the limit (see {@link GroupGuard}).
 *
 * <p>Linux x86_64 with glibc 2.34+ (posix_spawn closefrom) only. Thread-safe.
 */
public final class ProcessSupervisor implements AutoCloseable {
  public static final String THREAD_NAME = "fleetrun-child-loop";

  private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

  private final ChildLoop loop;
  private final Thread thread;
  private final Containment containment;
  private final String containmentDetail;
  private final String containmentAdvice;

  /** Starts the loop thread with {@link Containment#AUTO}. */
  public ProcessSupervisor() {
    this(Containment.AUTO);
  }

  /**
   * Starts the loop thread. Blocking (probes and creates the cgroup directories).
   *
   * @throws IllegalStateException when a cgroup backend is asked for and the host
   *     cannot give it, with the reason
   */
  public ProcessSupervisor(Containment containment) {
    this(true, containment);
  }

  /** {@code usePidfd = false} forces the wait4 polling fallback of kernels without pidfd_open. */
  ProcessSupervisor(boolean usePidfd, Containment wanted) {
    LibC.checkPlatform();
    Cgroups cgroups = null;
    if (wanted != Containment.PROCESS_GROUP) {
      try {
        cgroups = Cgroups.open(wanted != Containment.CGROUP_V1);
      } catch (IOException e) {
        if (wanted != Containment.AUTO) {
          throw new IllegalStateException("containment " + wanted.label() + " is not available here: " + e.getMessage(), e);
        }
        log.info("task containment by process group: {}", e.getMessage());
      }
    }
    containment = cgroups == null ? Containment.PROCESS_GROUP
        : cgroups.v2() ? Containment.CGROUP : Containment.CGROUP_V1;
    containmentDetail = cgroups != null ? cgroups.describe() : "process group per task, limits sampled";
    containmentAdvice = cgroups != null ? cgroups.tuningAdvice() : null;
    loop = new ChildLoop(usePidfd, cgroups);
    thread = new Thread(loop, THREAD_NAME);
    thread.setDaemon(true); // close() is the orderly way out; a forgotten one must not pin the JVM
    thread.start();
  }

  /** Null, or a host setting that would make this backend cheaper, for the worker's start log. */
  public String containmentAdvice() {
    return containmentAdvice;
  }

  /**
   * Queues {@code spec} to run; non-blocking, any thread. Task errors never throw: a child that
   * cannot start completes with {@link Outcome#SPAWN_FAILED} and a readable {@code error}; after
   * {@link #close()} it completes at once (on the caller's thread) as {@link Outcome#CANCELLED}
   * with cause "shutdown".
   *
   * <p>The spawn itself runs on the loop thread: {@link ChildHandle#pid()} is -1 when this
   * returns; {@link ChildHandle#started()} completes with the pid once the child runs.
   *
   * @param baseEnv the child's base environment ({@link #defaultBaseEnv()} when null); the
   *     task's env, then FLEETRUN_BATCH_ID, FLEETRUN_TASK_ID and FLEETRUN_SEQ go on top
   */
  public ChildHandle start(TaskSpec spec, Map<String, String> baseEnv) {
    Child child = new Child(spec, ChildEnvironment.compose(baseEnv, spec), loop);
    if (!loop.accept(child)) {
      child.complete(child.notStarted(Outcome.CANCELLED, StopCause.SHUTDOWN, "the process supervisor is closed"));
    }
    return child;
  }

  /**
   * The default base environment of a child, a new mutable map the worker configuration may
   * change: {@code PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin} (not the
   * worker's), {@code HOME} (the worker's), {@code LANG=C.UTF-8}, {@code TMPDIR} if the worker
   * has one. Nothing else of the worker's environment reaches a child.
   */
  public static Map<String, String> defaultBaseEnv() {
    return ChildEnvironment.defaultBase();
  }

  /**
   * Kills every process a dead worker left running on this host (found by the {@code
   * FLEETRUN_SUPERVISOR} mark every child and descendant inherits; see {@link OrphanSweeper}), so
   * a worker restarted after a crash starts clean. Children of live workers are left alone.
   * Blocking: reads /proc.
   *
   * @return how many processes were killed
   */
  public static int killOrphansOfDeadWorkers() {
    return OrphanSweeper.sweep() + Cgroups.sweepStale();
  }

  /** The backend in use: CGROUP, CGROUP_V1 or PROCESS_GROUP, never AUTO. */
  public Containment containment() {
    return containment;
  }

  /** The backend in words, for logs and telemetry (which hierarchies, which limits the kernel enforces). */
  public String containmentDetail() {
    return containmentDetail;
  }

  /** Tasks accepted by {@link #start} whose result has not completed yet (queued or running). */
  public int liveChildren() {
    return loop.liveChildren();
  }

  /**
   * Pids of the main children running now (a snapshot; their descendants are found through
   * /proc). For the worker's resource sampler; any thread.
   */
  public int[] livePids() {
    return loop.livePids();
  }

  /**
   * Stops every child with the stop sequence (cause "shutdown"), waits until all completed, stops
   * the loop thread and closes its fds. Takes at most the longest kill grace plus the drain time.
   * Must not be called on the loop thread (from a result callback); idempotent.
   */
  @Override
  public void close() {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("close() on " + THREAD_NAME + " would wait for itself");
    }
    loop.beginShutdown();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the contract is "all completed": keep waiting, restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
