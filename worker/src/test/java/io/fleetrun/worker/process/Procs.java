package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Real /proc checks: leftover processes, zombies, the JVM's fds and threads. */
final class Procs {
  static final int SELF = (int) ProcessHandle.current().pid();

  private Procs() {}

  /**
   * Task cgroups of this JVM's supervisors that a finished task may not leave: any memory or pids
   * one (those carry limits and are removed with their task) and any other one with a process in
   * it (empty v2, freezer and cpuacct ones wait in the supervisor's pool for the next task).
   */
  static List<Path> taskCgroupsInUse() {
    return taskCgroupsLeft().stream()
        .filter(dir -> !pooled(dir) || !readOrEmpty(dir.resolve("cgroup.procs")).isBlank())
        .collect(Collectors.toList());
  }

  /** A directory of the hierarchies whose empty task cgroups are pooled: v2, v1 freezer and cpuacct. */
  private static boolean pooled(Path dir) {
    try {
      CgroupPaths own = CgroupPaths.ofSelf();
      return Stream.of(own.unified(), own.freezer(), own.cpuacct())
          .anyMatch(p -> p != null && dir.startsWith(p));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Task cgroup directories of this JVM's supervisors still present, in every hierarchy: none may
   * outlive a closed supervisor. Empty where this process has no cgroups.
   */
  static List<Path> taskCgroupsLeft() {
    try {
      CgroupPaths own = CgroupPaths.ofSelf();
      String prefix = Cgroups.BASE_PREFIX + OrphanSweeper.SELF.replace(':', '-') + "-";
      List<Path> left = new java.util.ArrayList<>();
      for (Path dir : own.all()) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> bases = Files.list(dir)) {
          for (Path base : bases.filter(b -> b.getFileName().toString().startsWith(prefix)).toList()) {
            try (Stream<Path> tasks = Files.list(base)) {
              tasks.filter(t -> t.getFileName().toString().startsWith("task-")).forEach(left::add);
            }
          }
        }
      }
      return left;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Pids of live (non-zombie) processes whose command line contains {@code fragment}. */
  static List<Integer> matching(String fragment) {
    return ProcStat.all().stream()
        .filter(p -> !p.zombie() && p.pid() != SELF && cmdline(p.pid()).contains(fragment))
        .map(ProcStat::pid)
        .collect(Collectors.toList());
  }

  /** Fails unless no live process matches {@code fragment} within {@code millis}. */
  static void assertNoneLeft(String fragment, long millis) {
    long end = System.currentTimeMillis() + millis;
    List<Integer> left = matching(fragment);
    while (!left.isEmpty() && System.currentTimeMillis() < end) {
      sleep(20);
      left = matching(fragment);
    }
    if (!left.isEmpty()) {
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      fail("left behind: '" + fragment + "' pids " + left);
    }
  }

  /** Children of this JVM in state Z. */
  static List<ProcStat> zombieChildren() {
    return ProcStat.all().stream()
        .filter(p -> p.ppid() == SELF && p.zombie())
        .collect(Collectors.toList());
  }

  static void assertNoZombieChildren() {
    assertEquals(List.of(), zombieChildren(), "zombie children of the test JVM");
  }

  static int openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Kernel threads of this JVM (all of them, not only Java's), from /proc/self/status. */
  static int threads() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Threads:"))
          .mapToInt(l -> Integer.parseInt(l.substring(8).trim()))
          .findFirst()
          .orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
  }

  /** Waits up to {@code millis} for {@code value} to drop to at most {@code limit}; returns the last value. */
  static int settle(IntSupplier value, int limit, long millis) {
    long end = System.currentTimeMillis() + millis;
    int v = value.getAsInt();
    while (v > limit && System.currentTimeMillis() < end) {
      sleep(20);
      v = value.getAsInt();
    }
    return v;
  }

  static String cmdline(int pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
