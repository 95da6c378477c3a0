package io.fleetrun.worker.process;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The cgroup v1 way to kill a whole task at once, which has no {@code cgroup.kill}: freeze the
 * task's freezer cgroup so nothing in it can fork, SIGKILL every member, thaw (killed tasks die
 * only once thawed). This is the procedure of the kernel's freezer-subsystem documentation.
 *
 * <p>A process in uninterruptible sleep can hold the cgroup in {@code FREEZING}; the wait for
 * {@code FROZEN} is bounded, and what was not frozen could fork meanwhile, so rounds repeat
 * until a round finds no member it has not already killed.
 *
 * <p>Blocking for at most {@value #ROUNDS} × {@value #FREEZE_WAIT_MS} ms (normally microseconds:
 * kernfs writes and reads); called on the supervisor's loop thread.
 */
final class FreezerKill {
  static final String STATE = "freezer.state";
  static final int ROUNDS = 3;
  static final long FREEZE_WAIT_MS = 20;

  private FreezerKill() {}

  /**
   * Kills every process in the freezer cgroup {@code dir}; returns how many there were.
   *
   * @param members reads the pids in the cgroup now
   */
  static int kill(Path dir, Supplier<int[]> members) {
    Set<Integer> killed = new HashSet<>();
    Path state = dir.resolve(STATE);
    for (int round = 0; round < ROUNDS; round++) {
      int[] pids = members.get();
      if (round > 0 && killed.containsAll(toSet(pids)) || pids.length == 0) {
        break;
      }
      CgroupFiles.write(state, "FROZEN");
      try {
        awaitFrozen(state);
        for (int pid : members.get()) { // read again: a fork finished before the freeze is in it now
          if (killed.add(pid)) {
            LibC.kill(pid, LibC.SIGKILL);
          }
        }
      } finally {
        CgroupFiles.write(state, "THAWED");
      }
    }
    return killed.size();
  }

  private static void awaitFrozen(Path state) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FREEZE_WAIT_MS);
    while (!isFrozen(state) && System.nanoTime() < end) {
      LockSupport.parkNanos(200_000);
    }
  }

  private static boolean isFrozen(Path state) {
    String s = CgroupFiles.read(state);
    return s != null && s.trim().equals("FROZEN");
  }

  private static Set<Integer> toSet(int[] pids) {
    Set<Integer> set = new HashSet<>();
    for (int pid : pids) {
      set.add(pid);
    }
    return set;
  }
}
