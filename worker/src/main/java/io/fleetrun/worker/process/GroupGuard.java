package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory and process-count guard of the process-group backend, for {@link ChildLoop} (loop
 * thread only): every {@value #SAMPLE_MS} ms it sums the resident memory and counts the live
 * processes of each guarded child's process group (every process whose pgrp is the child's pid),
 * and starts the stop sequence with cause {@link StopCause#MEMORY} for a group above its task's
 * {@code memoryLimitBytes}, or {@link StopCause#PIDS} for one with more processes than its {@code
 * pidsLimit}. It also keeps each group's memory peak for {@code TaskResult.maxRssBytes}.
 *
 * <p>With the cgroup backend the members are the task's cgroup (setsid escapees included), no
 * /proc scan is needed, and where the host has the v1 memory and pids controllers the kernel
 * enforces both limits: an OOM kill in the task's memory cgroup, or a fork refused at its
 * {@code pids.max}, stops the rest of the task the same way.
 *
 * <p>The process count is sampled too: a fork loop can pass the limit between two samples, but
 * the stop sequence then kills the whole group (and the final sweep freezes it before the kill),
 * so it cannot outrun the guard for long; a kernel-enforced limit needs the pids cgroup.
 *
 * <p>Only resident pages count ({@code /proc/<pid>/statm} field 2), never virtual size: address
 * space reserved but not touched costs the host nothing. Shared pages (libraries) count once per
 * process that maps them, so the figure errs on the high side, like the OOM killer's own view.
 *
 * <p>Why {@value #SAMPLE_MS} ms: a leak of a few hundred MB/s passes a limit by at most a few tens
 * of MB before the next sample, well before the host's OOM killer would act; and it is cheap:
 * one /proc scan per tick serves all guarded children together, not one scan per child, and no
 * scan happens while no guarded child runs.
 *
 * <p>Why on the loop thread: a full scan (list /proc, read every stat) measured 1.1 ms median,
 * 1.5 ms p90 with 74 processes on the 2-core development box, so 10 Hz costs about 1% of the
 * loop's time. The scan grows with the processes on the host; a scan slower than {@value
 * #SLOW_SCAN_MS} ms is logged, the sign that it should move to a sampler thread of its own.
 */
final class GroupGuard {
  static final long SAMPLE_MS = 100;
  private static final int RSS = 0;
  private static final int PROCS = 1;
  static final long SLOW_SCAN_MS = 10;
  /** The first scans run before the JIT compiled them (the very first took 23 ms): not a sign of a slow /proc. */
  private static final int WARMUP_SCANS = 20;
  private static final Logger log = LoggerFactory.getLogger(GroupGuard.class);
  private static final Path PROC = Path.of("/proc");

  private final StopSequence stops;
  private final Set<Child> guarded = new LinkedHashSet<>();
  private long nextSampleNanos;
  private int scans;
  private boolean slowScanLogged;

  GroupGuard(StopSequence stops) {
    this.stops = stops;
  }

  /** Starts guarding a child that runs now, if its spec has a memory or pids limit. */
  void watch(Child c, long nowNanos) {
    if (c.spec().memoryLimitBytes() == null && c.spec().pidsLimit() == null) {
      return;
    }
    if (c.spec().memoryLimitBytes() != null) {
      c.maxRssBytes = 0L;
    }
    if (guarded.isEmpty()) {
      nextSampleNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS);
    }
    guarded.add(c);
  }

  /** Milliseconds (rounded up) until the next sample; -1 when no child is guarded. */
  long millisUntilNext(long nowNanos) {
    if (guarded.isEmpty()) {
      return -1;
    }
    long nanos = nextSampleNanos - nowNanos;
    return Math.max(0, (nanos + 999_999) / 1_000_000);
  }

  /** Samples every guarded group if the tick is due and stops the groups above their limit. */
  void sampleIfDue(long nowNanos) {
    guarded.removeIf(c -> c.reaped); // a reaped child's pid may be reused: never sample it again
    if (guarded.isEmpty() || nextSampleNanos - nowNanos > 0) {
      return;
    }
    nextSampleNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS);
    Map<Integer, long[]> usage = guarded.stream().allMatch(c -> c.cgroup != null) ? Map.of() : scan();
    for (Child c : guarded) {
      long[] u = c.cgroup != null ? cgroupUsage(c.cgroup) : usage.getOrDefault(c.pid(), new long[2]);
      Long memoryLimit = c.spec().memoryLimitBytes();
      Integer pidsLimit = c.spec().pidsLimit();
      if (memoryLimit != null) {
        c.maxRssBytes = Math.max(c.maxRssBytes, u[RSS]);
      }
      if (c.stopCause != null) {
        continue;
      }
      if (c.cgroup != null && c.cgroup.newOomKill()) {
        log.info("the kernel's OOM killer acted in task {} at its memory limit of {}; stopping the rest of it",
            c.spec().taskId(), memoryLimit);
        stops.stop(c, StopCause.MEMORY);
      } else if (c.cgroup != null && c.cgroup.pidsLimitHit()) {
        log.info("task {} was refused a fork at its limit of {} processes; stopping it",
            c.spec().taskId(), pidsLimit);
        stops.stop(c, StopCause.PIDS);
      } else if (memoryLimit != null && u[RSS] > memoryLimit) {
        log.info("task {} uses {} bytes of resident memory, over its limit of {}; stopping it",
            c.spec().taskId(), u[RSS], memoryLimit);
        stops.stop(c, StopCause.MEMORY);
      } else if (pidsLimit != null && u[PROCS] > pidsLimit) {
        log.info("task {} runs {} processes, over its limit of {}; stopping it",
            c.spec().taskId(), u[PROCS], pidsLimit);
        stops.stop(c, StopCause.PIDS);
      }
    }
  }

  /** Resident bytes and live processes of a task's cgroup: exactly its members, wherever their group. */
  private static long[] cgroupUsage(TaskCgroup cgroup) {
    long[] u = new long[2];
    for (int pid : cgroup.members()) {
      u[RSS] += residentBytes(pid);
      u[PROCS]++;
    }
    return u;
  }

  /** Resident bytes and live processes per guarded group: one pass over /proc for all of them. */
  private Map<Integer, long[]> scan() {
    long start = System.nanoTime();
    Map<Integer, long[]> usage = new HashMap<>();
    for (Child c : guarded) {
      usage.put(c.pid(), new long[2]);
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          addMember(usage, Integer.parseInt(name));
        }
      }
    } catch (IOException e) {
      log.warn("cannot list /proc; memory and pids limits are not enforced this tick: {}", e.toString());
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    scans = Math.min(scans + 1, WARMUP_SCANS + 1);
    if (ms > SLOW_SCAN_MS && scans > WARMUP_SCANS && !slowScanLogged) {
      slowScanLogged = true; // once: the point is the hint, not a log line every 100 ms
      log.warn("a /proc scan of the memory guard took {} ms on the child loop", ms);
    }
    return usage;
  }

  private static void addMember(Map<Integer, long[]> usage, int pid) {
    ProcStat stat = ProcStat.of(pid).orElse(null);
    long[] u = stat == null || stat.zombie() ? null : usage.get(stat.pgrp());
    if (u != null) {
      u[RSS] += stat.rssBytes();
      u[PROCS]++;
    }
  }

  /** Field 2 of /proc/pid/statm in bytes; 0 when the process is gone (or a zombie: all fields 0). */
  static long residentBytes(int pid) {
    try {
      String statm = new String(Files.readAllBytes(PROC.resolve(pid + "/statm")), StandardCharsets.US_ASCII);
      int from = statm.indexOf(' ') + 1;
      int to = statm.indexOf(' ', from);
      return Long.parseLong(statm.substring(from, to)) * ProcStat.PAGE_SIZE;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
