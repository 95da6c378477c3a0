package io.fleetrun.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the real /proc: this JVM's children, their states, and processes by command line. */
public final class ChildProcesses {
  private ChildProcesses() {}

  /** One process of /proc: pid, state letter, parent, session. */
  public record Proc(long pid, char state, long ppid, long sid) {}

  public static List<Proc> childrenOfThisJvm() {
    long self = ProcessHandle.current().pid();
    List<Proc> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
        Proc p = read(d.resolve("stat"));
        if (p != null && p.ppid() == self) {
          out.add(p);
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Task roots: children of this JVM that lead their own session (each task is one). */
  public static long liveTaskRoots() {
    return childrenOfThisJvm().stream().filter(p -> p.sid() == p.pid() && p.state() != 'Z').count();
  }

  public static long zombies() {
    return childrenOfThisJvm().stream().filter(p -> p.state() == 'Z').count();
  }

  /** Pids of every process on the host whose command line contains {@code fragment}. */
  public static List<Long> withCommandLine(String fragment) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
        try {
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.contains(fragment) && Long.parseLong(d.getFileName().toString()) != ProcessHandle.current().pid()) {
            out.add(Long.parseLong(d.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static Proc read(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return new Proc(Long.parseLong(stat.getParent().getFileName().toString()), f[0].charAt(0),
          Long.parseLong(f[1]), Long.parseLong(f[3]));
    } catch (IOException | RuntimeException e) {
      return null; // the process ended while we looked
    }
  }
}
