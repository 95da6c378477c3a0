package io.fleetrun.worker.process;

import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.concurrent.CompletableFuture;

/**
 * One task's child as seen by its owner. All methods may be called from any thread.
 *
 * <p>Both futures complete on the supervisor's loop thread: dependent actions run there and must
 * not block (hand off with the {@code *Async} variants when in doubt).
 */
public interface ChildHandle {
  TaskSpec spec();

  /** The child's pid, which is also its session and process-group id; -1 until it runs, or if it never ran. */
  int pid();

  /** Completes with the pid once the child runs, or with -1 when it never started. */
  CompletableFuture<Integer> started();

  /**
   * Completes exactly once, after the exit status is reaped, both pipes are at EOF (or closed),
   * the process group is killed and every fd of the child is closed.
   */
  CompletableFuture<TaskResult> result();

  /**
   * Stops the child with the stop sequence: SIGTERM to its group, SIGKILL after the task's
   * grace. The cause ends up in the result ({@link StopCause}). Idempotent; the first cause wins;
   * no effect once the child has exited.
   */
  void cancel(String cause);

  /**
   * True when the child did not start for a reason of this host, not of the task (no fds, no
   * memory or process slots, no cgroup): the result is SPAWN_FAILED, yet the task may well run
   * elsewhere. Meaningful once {@link #result()} completed.
   */
  boolean spawnFailedOnHost();
}
