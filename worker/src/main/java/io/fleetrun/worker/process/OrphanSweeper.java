package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and kills what a dead worker left running. Every child carries {@value #MARK}={@code
 * pid:starttime} of its supervisor's JVM in its environment, and every descendant inherits it,
 * also one that called setsid. A process whose mark names a JVM that no longer runs (no such pid,
 * or a pid reused by a process with another start time) is an orphan of a crashed worker: it is
 * killed with SIGKILL. Processes of live supervisors, this one included, are never touched.
 *
 * <p>Blocking (reads /proc): call it off any event loop. Processes whose environment this user
 * may not read are passed over.
 */
final class OrphanSweeper {
  static final String MARK = "FLEETRUN_SUPERVISOR";
  static final String SELF = ProcessHandle.current().pid() + ":" + startTime(ProcessHandle.current().pid());
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);
  private static final int ROUNDS = 5;

  private OrphanSweeper() {}

  /** Kills every orphan, sweeping again while a round still found some (they may fork); returns how many. */
  static int sweep() {
    int total = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killed = sweepOnce();
      total += killed;
      if (killed == 0) {
        break;
      }
    }
    if (total > 0) {
      LOG.warn("killed {} processes left running by a worker that died", total);
    }
    return total;
  }

  private static int sweepOnce() {
    int killed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          String mark = markOf(dir);
          if (mark != null && !mark.equals(SELF) && !alive(mark)) {
            killed += LibC.kill(Integer.parseInt(name), LibC.SIGKILL) == 0 ? 1 : 0;
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return killed;
  }

  /** The value of the mark in a process's environment, or null. */
  static String markOf(Path procDir) {
    String[] v = envValues(procDir, MARK);
    return v == null ? null : v[0];
  }

  /**
   * The values of {@code names} in a process's environment, in their order, each null when
   * absent; null when the environment cannot be read (gone, a zombie's is empty, not ours).
   */
  static String[] envValues(Path procDir, String... names) {
    byte[] env;
    try {
      env = Files.readAllBytes(procDir.resolve("environ"));
    } catch (IOException | SecurityException e) {
      return null;
    }
    String[] values = new String[names.length];
    for (int start = 0; start < env.length; ) {
      int end = start;
      while (end < env.length && env[end] != 0) {
        end++;
      }
      for (int i = 0; i < names.length; i++) {
        if (values[i] == null && isVariable(env, start, end, names[i])) {
          int from = start + names[i].length() + 1;
          values[i] = new String(env, from, end - from, StandardCharsets.UTF_8);
        }
      }
      start = end + 1;
    }
    return values;
  }

  /** True when {@code pid:starttime} names a process that runs now. */
  static boolean alive(String mark) {
    int colon = mark.indexOf(':');
    try {
      long pid = Long.parseLong(mark.substring(0, colon));
      String start = startTime(pid);
      return start != null && start.equals(mark.substring(colon + 1));
    } catch (RuntimeException e) {
      return true; // a mark we cannot read: leave the process alone
    }
  }

  /** Field 22 of /proc/pid/stat (start time in clock ticks since boot), or null when gone. */
  static String startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** True when bytes start..end of the environment read {@code name=...}. */
  private static boolean isVariable(byte[] env, int start, int end, String name) {
    int n = name.length();
    if (end - start <= n || env[start + n] != '=') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (env[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
