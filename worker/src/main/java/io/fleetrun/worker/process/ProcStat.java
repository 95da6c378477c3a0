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
 * The fields of {@code /proc/<pid>/stat} the supervisor (and its tests) look at.
 *
 * @param state one letter: R, S, D, Z (zombie), T, ...
 * @param pgrp process group id
 */
record ProcStat(int pid, char state, int ppid, int pgrp, int session) {
  private static final Path PROC = Path.of("/proc");

  boolean zombie() {
    return state == 'Z';
  }

  /** The stat of one process; empty when it is gone (or /proc cannot be read). */
  static Optional<ProcStat> of(int pid) {
    try {
      String line = new String(Files.readAllBytes(PROC.resolve(pid + "/stat")), StandardCharsets.UTF_8);
      return Optional.of(parse(pid, line));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every process visible in /proc now; processes that vanish during the scan are skipped. */
  static List<ProcStat> all() {
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
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ", 5);
    return new ProcStat(pid, f[0].charAt(0), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
  }
}
