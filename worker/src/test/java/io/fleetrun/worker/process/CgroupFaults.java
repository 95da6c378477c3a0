package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real host fault for worker tests: the cgroup v2 base directories of this JVM's supervisors
 * vanish (as when something else cleans up cgroups), so no task cgroup can be created and every
 * spawn fails for a reason of the host, until they are restored.
 */
public final class CgroupFaults {
  private CgroupFaults() {}

  /** True when supervisors in this JVM can use cgroups (a writable v2 hierarchy). */
  public static boolean available() {
    try {
      Path own = CgroupPaths.ofSelf().unified();
      return own != null && Files.isWritable(own);
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the (empty) v2 base directories of this JVM's supervisors and returns them. */
  public static List<Path> removeBases() throws IOException {
    Path own = CgroupPaths.ofSelf().unified();
    String prefix = Cgroups.BASE_PREFIX + OrphanSweeper.SELF.replace(':', '-') + "-";
    List<Path> removed = new ArrayList<>();
    try (Stream<Path> bases = Files.list(own)) {
      for (Path base : bases.filter(b -> b.getFileName().toString().startsWith(prefix)).toList()) {
        Files.delete(base); // fails while it holds a task cgroup: the test must remove it idle
        removed.add(base);
      }
    }
    return removed;
  }

  /** Creates the removed directories again. */
  public static void restore(List<Path> bases) throws IOException {
    for (Path base : bases) {
      Files.createDirectories(base);
    }
  }
}
