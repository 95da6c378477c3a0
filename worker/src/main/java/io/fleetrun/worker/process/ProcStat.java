package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the supervisor, the worker's resource sampler (and
 * tests) look at.
 *
 * @param state one letter: R, S, D, Z (zombie), T, ...
 * @param pgrp process group id
 * @param cpuTicks user plus system CPU time, in clock ticks ({@link #TICKS_PER_SECOND})
 * @param startTicks start time after boot, in clock ticks: with the pid, a process's identity
 * @param rssPages resident set size in pages ({@link #PAGE_SIZE} bytes)
 */
public record ProcStat(int pid, char state, int ppid, int pgrp, int session, long cpuTicks, long startTicks,
    long rssPages) {
  /** USER_HZ: fixed at 100 by the kernel's ABI on every Linux architecture the worker runs on. */
  public static final int TICKS_PER_SECOND = 100;
  /** x86_64 (the only platform {@link LibC#checkPlatform} accepts) has 4 KiB pages. */
  public static final long PAGE_SIZE = 4096;
  private static final Path PROC = Path.of("/proc");

  public long rssBytes() {
    return rssPages * PAGE_SIZE;
  }

  public boolean zombie() {
    return state == 'Z';
  }

  /** The stat of one process; empty when it is gone (or /proc cannot be read). */
  public static Optional<ProcStat> of(int pid) {
    try {
      String line = new String(Files.readAllBytes(PROC.resolve(pid + "/stat")), StandardCharsets.UTF_8);
      return Optional.of(parse(pid, line));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every process visible in /proc now; processes that vanish during the scan are skipped. */
  public static List<ProcStat> all() {
    List<ProcStat> result = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          of(Integer.parseInt(name)).ifPresent(result::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return result;
  }

  /** Fields after the command name, which is in parentheses and may itself hold ") ". */
  static ProcStat parse(int pid, String line) {
    // f[0] is field 3 of proc(5): utime 14, stime 15, starttime 22, rss 24
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ", 23);
    return new ProcStat(pid, f[0].charAt(0), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
        Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19]), Long.parseLong(f[21]));
  }
}
