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
 * The memory guard of the process-group backend, for {@link ChildLoop} (loop thread only): every
 * {@value #SAMPLE_MS} ms it sums the resident memory of each guarded child's process group (every
 * process whose pgrp is the child's pid) and starts the stop sequence with cause {@link
 * StopCause#MEMORY} for a group above its task's {@code memoryLimitBytes}. It also keeps each
 * group's peak for {@code TaskResult.maxRssBytes}.
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
final class MemoryGuard {
  static final long SAMPLE_MS = 100;
  /** statm counts pages; x86_64 (the only platform {@link LibC#checkPlatform} accepts) has 4 KiB pages. */
  static final long PAGE_SIZE = 4096;
  static final long SLOW_SCAN_MS = 10;
  /** The first scans run before the JIT compiled them (the very first took 23 ms): not a sign of a slow /proc. */
  private static final int WARMUP_SCANS = 20;
  private static final Logger log = LoggerFactory.getLogger(MemoryGuard.class);
  private static final Path PROC = Path.of("/proc");

  private final StopSequence stops;
  private final Set<Child> guarded = new LinkedHashSet<>();
  private long nextSampleNanos;
  private int scans;
  private boolean slowScanLogged;

  MemoryGuard(StopSequence stops) {
    this.stops = stops;
  }

  /** Starts guarding a child that runs now, if its spec has a memory limit. */
  void watch(Child c, long nowNanos) {
    if (c.spec().memoryLimitBytes() == null) {
      return;
    }
    c.maxRssBytes = 0L;
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
    Map<Integer, Long> rss = scan();
    for (Child c : guarded) {
      long bytes = rss.getOrDefault(c.pid(), 0L);
      c.maxRssBytes = Math.max(c.maxRssBytes, bytes);
      long limit = c.spec().memoryLimitBytes();
      if (bytes > limit && c.stopCause == null) {
        log.info("task {} uses {} bytes of resident memory, over its limit of {}; stopping it",
            c.spec().taskId(), bytes, limit);
        stops.stop(c, StopCause.MEMORY);
      }
    }
  }

  /** Resident bytes per guarded group: one pass over /proc for all of them. */
  private Map<Integer, Long> scan() {
    long start = System.nanoTime();
    Map<Integer, Long> rss = new HashMap<>();
    for (Child c : guarded) {
      rss.put(c.pid(), 0L);
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          addMember(rss, Integer.parseInt(name));
        }
      }
    } catch (IOException e) {
      log.warn("cannot list /proc; memory limits are not enforced this tick: {}", e.toString());
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    scans = Math.min(scans + 1, WARMUP_SCANS + 1);
    if (ms > SLOW_SCAN_MS && scans > WARMUP_SCANS && !slowScanLogged) {
      slowScanLogged = true; // once: the point is the hint, not a log line every 100 ms
      log.warn("a /proc scan of the memory guard took {} ms on the child loop", ms);
    }
    return rss;
  }

  private static void addMember(Map<Integer, Long> rss, int pid) {
    ProcStat stat = ProcStat.of(pid).orElse(null);
    if (stat == null || !rss.containsKey(stat.pgrp())) {
      return;
    }
    rss.merge(stat.pgrp(), residentBytes(pid), Long::sum);
  }

  /** Field 2 of /proc/pid/statm in bytes; 0 when the process is gone (or a zombie: all fields 0). */
  static long residentBytes(int pid) {
    try {
      String statm = new String(Files.readAllBytes(PROC.resolve(pid + "/statm")), StandardCharsets.US_ASCII);
      int from = statm.indexOf(' ') + 1;
      int to = statm.indexOf(' ', from);
      return Long.parseLong(statm.substring(from, to)) * PAGE_SIZE;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
