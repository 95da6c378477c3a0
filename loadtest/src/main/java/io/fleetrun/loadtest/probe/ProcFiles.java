package io.fleetrun.loadtest.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The few /proc files the probes read. Every method tolerates a process vanishing mid-read. */
final class ProcFiles {
  /** USER_HZ: the unit of CPU times in /proc/PID/stat; 100 on every Linux ABI in use. */
  static final double TICKS_PER_SECOND = 100;
  private static final Path PROC = Path.of("/proc");
  /** The variable by which the worker marks its task processes (worker.process.ChildEnvironment). */
  static final String MARK = "FLEETRUN_SUPERVISOR";

  private ProcFiles() {}

  /** State letter, parent pid and user + system CPU ticks from /proc/PID/stat. */
  record Stat(char state, long ppid, long cpuTicks) {}

  static Optional<Stat> stat(long pid) {
    try {
      return Optional.of(parseStat(Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Fields after the command name, which is in parentheses and may itself hold spaces and ')'. */
  static Stat parseStat(String line) {
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    // f[0] = state (field 3); utime and stime are fields 14 and 15
    return new Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
  }

  /** A "Key:   value kB" line of /proc/PID/status as a number (kB lines in bytes), or -1. */
  static long statusField(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
        long v = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
      }
    }
    return -1;
  }

  static String status(long pid) {
    try {
      return Files.readString(PROC.resolve(pid + "/status"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Entries of /proc/PID/fd, or -1 when the directory cannot be read. */
  static int openFds(long pid) {
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
      for (Path ignored : fds) {
        n++;
      }
      return n - (pid == ProcessHandle.current().pid() ? 1 : 0); // the listing's own fd
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * One pass over /proc: {task processes, zombie children} of the worker {@code worker}. A task
   * process is any process whose environment carries the worker's mark ({@code
   * FLEETRUN_SUPERVISOR=pid:starttime}, which the worker gives every child and every descendant
   * inherits), so descendants that left the process group or were re-parented to init count too.
   */
  static int[] taskProcessesAndZombies(long worker) {
    byte[] needle = (MARK + "=" + worker + ":" + startTime(worker)).getBytes(StandardCharsets.US_ASCII);
    int tasks = 0;
    int zombies = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        Optional<Stat> st = stat(Long.parseLong(name));
        if (st.isEmpty()) {
          continue;
        }
        if (st.get().state() == 'Z') {
          zombies += st.get().ppid() == worker ? 1 : 0;
        } else if (hasEntry(dir.resolve("environ"), needle)) {
          tasks++;
        }
      }
    } catch (IOException e) {
      return new int[] {-1, -1};
    }
    return new int[] {tasks, zombies};
  }

  /** Field 22 of /proc/PID/stat: start time in ticks since boot (pids are reused, this is not). */
  static String startTime(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** True when the NUL-separated file holds exactly {@code entry} as one of its entries. */
  private static boolean hasEntry(Path environ, byte[] entry) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return false; // gone, or not ours to read
    }
    for (int start = 0; start < env.length; ) {
      int end = start;
      while (end < env.length && env[end] != 0) {
        end++;
      }
      if (end - start == entry.length && Arrays.equals(env, start, end, entry, 0, entry.length)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  /** Host CPU ticks from the first line of /proc/stat: {busy, total}. */
  static long[] hostCpuTicks() {
    try {
      String first = Files.readString(PROC.resolve("stat"), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      String[] f = first.trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }
}
