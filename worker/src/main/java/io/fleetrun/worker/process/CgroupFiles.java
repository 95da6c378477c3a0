package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes of cgroup control files, where a file that vanished (its cgroup removed
 * meanwhile) or that this kernel does not offer is an answer, not an error. Blocking, but kernfs:
 * a few microseconds, no disk.
 */
final class CgroupFiles {
  private CgroupFiles() {}

  /** The file's text, or null when it cannot be read (removed, or not offered by this kernel). */
  static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes {@code value}; a cgroup that emptied and went away meanwhile needs nothing more. */
  static void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      // gone: nothing left to kill, freeze or thaw
    }
  }

  /** The number after {@code name } on its own line of a flat-keyed cgroup file; -1 when absent. */
  static long field(String text, String name) {
    if (text == null) {
      return -1;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }
}
