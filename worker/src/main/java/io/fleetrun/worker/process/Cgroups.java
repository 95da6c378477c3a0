package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this supervisor's task cgroups live, found once at start: a directory {@code
 * fleetrun-<pid>-<starttime>-<n>} under the worker's own cgroup in the cgroup v2 hierarchy (which
 * every task joins: membership and {@code cgroup.kill}) and, on a hybrid host, under its own v1
 * {@code memory} and {@code pids} cgroups (joined only by tasks with such a limit, which the
 * kernel then enforces).
 *
 * <p>Usable when the v2 hierarchy is mounted, writable by this user and has {@code cgroup.kill}
 * (Linux 5.14+). On a pure v2 host whose worker cgroup delegates no controllers the limits fall
 * back to sampling ({@link GroupGuard}); v1-only hosts (freezer kill) are not supported yet.
 *
 * <p>Blocking (filesystem): construct off any event loop. Thread-safe after construction.
 */
final class Cgroups implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
  static final String BASE_PREFIX = "fleetrun-";
  private static final AtomicLong NEXT_TASK = new AtomicLong();
  private static final AtomicLong NEXT_SUPERVISOR = new AtomicLong();

  /** Empty v2 task cgroups kept for the next task without limits (mkdir and rmdir cost the loop). */
  static final int POOL_SIZE = 64;

  private final Path unified;
  private final Path memory;
  private final Path pids;
  private final ArrayDeque<TaskCgroup> pool = new ArrayDeque<>(); // loop thread only

  private Cgroups(Path unified, Path memory, Path pids) {
    this.unified = unified;
    this.memory = memory;
    this.pids = pids;
  }

  /** The cgroups of this process, or an exception saying why the host offers none we can use. */
  static Cgroups open() throws IOException {
    CgroupPaths own = CgroupPaths.ofSelf();
    if (own.unified() == null) {
      throw new IOException("no cgroup v2 hierarchy is mounted");
    }
    // one base per supervisor: closing one must not remove the directory another one still uses
    String name = BASE_PREFIX + OrphanSweeper.SELF.replace(':', '-') + "-" + NEXT_SUPERVISOR.incrementAndGet();
    Path unified = createBase(own.unified().resolve(name));
    if (!Files.exists(unified.resolve("cgroup.kill"))) {
      deleteQuietly(unified);
      throw new IOException("the cgroup v2 hierarchy has no cgroup.kill (Linux 5.14 or later is needed)");
    }
    Path memory = optionalBase(own.memory(), name);
    Path pids = optionalBase(own.pids(), name);
    return new Cgroups(unified, memory, pids);
  }

  private static Path createBase(Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new IOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  private static Path optionalBase(Path ownDir, String name) {
    if (ownDir == null) {
      return null;
    }
    try {
      return createBase(ownDir.resolve(name));
    } catch (IOException e) {
      log.info("not using {}: {}", ownDir, e.getMessage());
      return null;
    }
  }

  /** What backs containment, for logs and telemetry. */
  String describe() {
    return "cgroup v2 " + unified.getParent()
        + (memory != null ? ", memory limit by cgroup v1" : ", memory limit sampled")
        + (pids != null ? ", pids limit by cgroup v1" : ", pids limit sampled");
  }

  /**
   * The cgroup(s) of one task, with the kernel limits this host can enforce: a pooled empty one
   * for a task without limits, else new directories. Loop thread only.
   */
  TaskCgroup create(Long memoryLimitBytes, Integer pidsLimit) throws IOException {
    boolean kernelLimits = memoryLimitBytes != null && memory != null || pidsLimit != null && pids != null;
    if (!kernelLimits && !pool.isEmpty()) {
      return pool.pop().reused();
    }
    String name = "task-" + NEXT_TASK.incrementAndGet();
    List<Path> dirs = new ArrayList<>(3);
    try {
      dirs.add(Files.createDirectory(unified.resolve(name)));
      Path mem = null;
      Path pid = null;
      if (memoryLimitBytes != null && memory != null) {
        mem = Files.createDirectory(memory.resolve(name));
        dirs.add(mem);
        Files.writeString(mem.resolve("memory.limit_in_bytes"), Long.toString(memoryLimitBytes));
      }
      if (pidsLimit != null && pids != null) {
        pid = Files.createDirectory(pids.resolve(name));
        dirs.add(pid);
        Files.writeString(pid.resolve("pids.max"), Integer.toString(pidsLimit));
      }
      return new TaskCgroup(dirs.get(0), mem, pid);
    } catch (IOException | RuntimeException e) {
      dirs.forEach(Cgroups::deleteQuietly);
      throw new IOException("cannot create the task's cgroup: " + e.getMessage(), e);
    }
  }

  /**
   * Takes back the cgroup of a completed task, which must be empty: kept for reuse when it has
   * only its v2 directory and the pool has room, else removed. False when it could not be removed.
   */
  boolean release(TaskCgroup cgroup) {
    if (cgroup.reusable() && pool.size() < POOL_SIZE) {
      pool.push(cgroup);
      return true;
    }
    return cgroup.remove();
  }

  /** Removes the pooled cgroups and the base directories (each empty once every task cgroup is gone). */
  @Override
  public void close() {
    while (!pool.isEmpty()) {
      pool.pop().remove();
    }
    for (Path base : new Path[] {unified, memory, pids}) {
      if (base != null) {
        deleteQuietly(base);
      }
    }
  }

  /**
   * Kills what task cgroups of dead supervisors still hold and removes them: the v2 ones by
   * {@code cgroup.kill}, then every such directory in every hierarchy this process can see.
   * Returns how many processes were killed. Blocking.
   */
  static int sweepStale() {
    CgroupPaths own;
    try {
      own = CgroupPaths.ofSelf();
    } catch (IOException e) {
      return 0;
    }
    int killed = 0;
    for (Path ownDir : new Path[] {own.unified(), own.memory(), own.pids()}) {
      if (ownDir != null) {
        killed += sweepStaleUnder(ownDir);
      }
    }
    return killed;
  }

  private static int sweepStaleUnder(Path ownDir) {
    int killed = 0;
    try (DirectoryStream<Path> bases = Files.newDirectoryStream(ownDir, BASE_PREFIX + "*")) {
      for (Path base : bases) {
        String[] owner = base.getFileName().toString().substring(BASE_PREFIX.length()).split("-");
        if (owner.length < 2 || OrphanSweeper.alive(owner[0] + ":" + owner[1])) {
          continue;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(base, "task-*")) {
          for (Path task : tasks) {
            killed += new TaskCgroup(task, null, null).killAndRemove();
          }
        }
        deleteQuietly(base);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot sweep stale task cgroups under {}: {}", ownDir, e.toString());
    }
    return killed;
  }

  static boolean deleteQuietly(Path dir) {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
