package io.fleetrun.worker;

import com.sun.management.OperatingSystemMXBean;
import io.fleetrun.worker.process.ProcStat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the resources of the worker process, its task processes and the host from /proc and the
 * JVM, and turns cumulative CPU counters into rates between two calls.
 *
 * <p>Blocking (one pass over /proc per call, a few ms with a few hundred processes): never call
 * it on an event loop. Not thread-safe: one caller at a time (the telemetry verticle's ordered
 * blocking calls).
 */
final class ResourceSampler {
  private static final Path PROC = Path.of("/proc");

  /** One reading; CPU figures in cores over the time since the previous reading. */
  record Sample(int hostCores, double hostCpuCores, double load1, long hostMemAvailableBytes,
      double processCpuCores, long rssBytes, long heapUsedBytes, long heapMaxBytes, int openFds, int threads,
      int zombies, long childrenRssBytes, double childrenCpuCores) {}

  /** A process's identity: pids are reused, start times make them unique. */
  private record ProcKey(int pid, long startTicks) {}

  private final int self = (int) ProcessHandle.current().pid();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long lastNanos;
  private long lastProcessCpuNanos;
  private long[] lastHostTicks;
  private Map<ProcKey, Long> lastChildTicks = Map.of();

  /**
   * Takes a reading.
   *
   * @param mainPids the pids of the worker's running task children; their descendants are found
   *     through the parent links in /proc (a process that double-forked away to init is not)
   */
  Sample sample(int[] mainPids) {
    long now = System.nanoTime();
    double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
    lastNanos = now;

    long cpuNanos = os.getProcessCpuTime();
    double processCpu = seconds > 0 ? (cpuNanos - lastProcessCpuNanos) / 1e9 / seconds : 0;
    lastProcessCpuNanos = cpuNanos;

    long[] hostTicks = hostCpuTicks();
    double hostCpu = 0;
    if (lastHostTicks != null && hostTicks[0] > lastHostTicks[0]) {
      double busy = (hostTicks[1] - lastHostTicks[1]) / (double) (hostTicks[0] - lastHostTicks[0]);
      hostCpu = Math.max(0, busy) * cores;
    }
    lastHostTicks = hostTicks;

    List<ProcStat> all = ProcStat.all();
    Tree tree = tree(all, mainPids, seconds);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new Sample(cores, hostCpu, load1(), HostMemory.PROC_MEMINFO.getAsLong(), processCpu,
        ProcStat.of(self).map(ProcStat::rssBytes).orElse(0L), heap.getUsed(), heap.getMax(), openFds(), threads(),
        tree.zombies, tree.rssBytes, tree.cpuCores);
  }

  private record Tree(int zombies, long rssBytes, double cpuCores) {}

  /** Zombie children of the worker, and the summed RSS and CPU rate of the task trees. */
  private Tree tree(List<ProcStat> all, int[] mainPids, double seconds) {
    Map<Integer, List<ProcStat>> byParent = new HashMap<>();
    Map<Integer, ProcStat> byPid = new HashMap<>();
    int zombies = 0;
    for (ProcStat p : all) {
      byParent.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
      byPid.put(p.pid(), p);
      if (p.ppid() == self && p.zombie()) {
        zombies++;
      }
    }
    ArrayDeque<ProcStat> todo = new ArrayDeque<>();
    for (int pid : mainPids) {
      ProcStat p = byPid.get(pid);
      if (p != null && p.ppid() == self) {
        todo.add(p);
      }
    }
    long rss = 0;
    long ticks = 0;
    Map<ProcKey, Long> seen = new HashMap<>();
    while (!todo.isEmpty()) {
      ProcStat p = todo.poll();
      rss += p.rssBytes();
      ProcKey key = new ProcKey(p.pid(), p.startTicks());
      // a process first seen now ran all of its CPU since the last reading (or nearly)
      ticks += p.cpuTicks() - lastChildTicks.getOrDefault(key, 0L);
      seen.put(key, p.cpuTicks());
      todo.addAll(byParent.getOrDefault(p.pid(), List.of()));
    }
    lastChildTicks = seen;
    double cpu = seconds > 0 ? ticks / (double) ProcStat.TICKS_PER_SECOND / seconds : 0;
    return new Tree(zombies, rss, Math.max(0, cpu));
  }

  /** {total, busy} ticks of all CPUs from the first line of /proc/stat; {0, 0} when unreadable. */
  private static long[] hostCpuTicks() {
    try {
      String line = Files.readAllLines(PROC.resolve("stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) { // user .. steal; guest time is inside user
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total, total - idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  private static double load1() {
    try {
      return Double.parseDouble(Files.readString(PROC.resolve("loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Entries of /proc/self/fd, less the one the listing itself holds open. */
  private static int openFds() {
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("self/fd"))) {
      for (Path ignored : fds) {
        n++;
      }
    } catch (IOException e) {
      return -1;
    }
    return Math.max(0, n - 1);
  }

  /** Every thread of the process, the JVM's own included (not only Java threads). */
  private static int threads() {
    try {
      for (String line : Files.readAllLines(PROC.resolve("self/status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: reported as -1 below
    }
    return -1;
  }
}
