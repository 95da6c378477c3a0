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
 * fleetrun-<pid>-<starttime>-<n>} under the worker's own cgroup in the hierarchy every task joins
 * (membership and the atomic kill): cgroup v2 where it is mounted, writable and has {@code
 * cgroup.kill} (Linux 5.14+), else the v1 {@code freezer} one (freeze, kill, thaw), with v1 {@code
 * cpuacct} for CPU accounting. On a host with v1 {@code memory} and {@code pids} hierarchies it
 * also has directories there, joined only by tasks with such a limit, which the kernel then
 * enforces; without them (a pure v2 host whose worker cgroup delegates no controllers) the limits
 * are sampled ({@link GroupGuard}).
 *
 * <p>Blocking (filesystem): construct off any event loop. Thread-safe after construction.
 */
final class Cgroups implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
  static final String BASE_PREFIX = "fleetrun-";
  private static final AtomicLong NEXT_TASK = new AtomicLong();
  private static final AtomicLong NEXT_SUPERVISOR = new AtomicLong();

  /** Empty task cgroups kept for the next task without limits (mkdir and rmdir cost the loop). */
  static final int POOL_SIZE = 64;

  /** The base every task joins: in the v2 hierarchy, or the v1 freezer one when {@link #v2} is false. */
  private final Path home;
  private final boolean v2;
  private final Path cpuacct;
  private final Path memory;
  private final Path pids;
  private final ArrayDeque<TaskCgroup> pool = new ArrayDeque<>(); // loop thread only

  private final boolean favorDynmods;

  private Cgroups(Path home, boolean v2, Path cpuacct, Path memory, Path pids, boolean favorDynmods) {
    this.favorDynmods = favorDynmods;
    this.home = home;
    this.v2 = v2;
    this.cpuacct = cpuacct;
    this.memory = memory;
    this.pids = pids;
  }

  /**
   * The cgroups of this process, or an exception saying why the host offers none we can use.
   *
   * @param v2Allowed false to use the v1 freezer even where cgroup v2 would do
   */
  static Cgroups open(boolean v2Allowed) throws IOException {
    CgroupPaths own = CgroupPaths.ofSelf();
    // one base per supervisor: closing one must not remove the directory another one still uses
    String name = BASE_PREFIX + OrphanSweeper.SELF.replace(':', '-') + "-" + NEXT_SUPERVISOR.incrementAndGet();
    String v2Problem = "cgroup v2 not wanted";
    if (v2Allowed) {
      try {
        return openV2(own, name);
      } catch (IOException e) {
        v2Problem = e.getMessage();
      }
    }
    if (own.freezer() == null) {
      throw new IOException(v2Problem + ", and no cgroup v1 freezer hierarchy is mounted");
    }
    Path home = createBase(own.freezer().resolve(name));
    return new Cgroups(home, false, optionalBase(own.cpuacct(), name),
        optionalBase(own.memory(), name), optionalBase(own.pids(), name), own.favorDynmods());
  }

  private static Cgroups openV2(CgroupPaths own, String name) throws IOException {
    if (own.unified() == null) {
      throw new IOException("no cgroup v2 hierarchy is mounted");
    }
    Path home = createBase(own.unified().resolve(name));
    if (!Files.exists(home.resolve("cgroup.kill"))) {
      deleteQuietly(home);
      throw new IOException("the cgroup v2 hierarchy has no cgroup.kill (Linux 5.14 or later is needed)");
    }
    return new Cgroups(home, true, null, optionalBase(own.memory(), name), optionalBase(own.pids(), name),
        own.favorDynmods());
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

  /** True when tasks are held by cgroup v2, false for the v1 freezer. */
  boolean v2() {
    return v2;
  }

  /**
   * Null when joining a task's cgroup is cheap here, else what it costs and where the fix is. A
   * child joins by writing its pid to {@code cgroup.procs}, which takes the kernel's cgroup
   * threadgroup lock for writing; unless some hierarchy is mounted with {@code favordynmods}
   * (Linux 6.0+), that waits for an RCU grace period once the lock has been idle: 8-19 ms per
   * join measured on these machines when tasks start one at a time, 0.03-0.1 ms back to back or
   * with the option.
   */
  String tuningAdvice() {
    return favorDynmods ? null : "each task's cgroup join may wait for an RCU grace period (about 10 ms when"
        + " tasks start one at a time): no cgroup hierarchy here is mounted with favordynmods (README: Containment)";
  }

  /** What backs containment, for logs and telemetry. */
  String describe() {
    return (v2 ? "cgroup v2 " : "cgroup v1 freezer ") + home.getParent()
        + (v2 ? "" : cpuacct != null ? ", cpu by cgroup v1 cpuacct" : ", cpu of the main child only")
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
    List<Path> dirs = new ArrayList<>(4);
    try {
      dirs.add(Files.createDirectory(home.resolve(name)));
      Path cpu = null;
      if (cpuacct != null) {
        cpu = Files.createDirectory(cpuacct.resolve(name));
        dirs.add(cpu);
      }
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
      return new TaskCgroup(dirs.get(0), v2, cpu, mem, pid);
    } catch (IOException | RuntimeException e) {
      dirs.forEach(Cgroups::deleteQuietly);
      throw new IOException("cannot create the task's cgroup: " + e.getMessage(), e);
    }
  }

  /**
   * Takes back the cgroup of a completed task, which must be empty: kept for reuse when it has
   * no limit directories and the pool has room, else removed. False when it could not be removed.
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
    for (Path base : new Path[] {home, cpuacct, memory, pids}) {
      if (base != null) {
        deleteQuietly(base);
      }
    }
  }

  /**
   * Kills what task cgroups of dead supervisors still hold and removes them: through the v2 and
   * freezer ones first (atomic kill), then every such directory in every hierarchy this process can see.
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
    for (Path ownDir : own.all()) {
      killed += sweepStaleUnder(ownDir);
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
            killed += TaskCgroup.stale(task).killAndRemove();
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
