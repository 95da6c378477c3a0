package io.fleetrun.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * This process's own cgroup directories, from {@code /proc/self/cgroup} and {@code
 * /proc/self/mountinfo}: the cgroup v2 one and the v1 {@code memory}, {@code pids}, {@code
 * freezer} and {@code cpuacct} ones, each null when that hierarchy is not mounted here; and whether
 * any cgroup hierarchy is mounted with {@code favordynmods}, which makes moving a process between
 * cgroups cheap for all of them (the lock it takes is one for the whole kernel).
 */
record CgroupPaths(Path unified, Path memory, Path pids, Path freezer, Path cpuacct, boolean favorDynmods) {

  static CgroupPaths ofSelf() throws IOException {
    return parse(Files.readAllLines(Path.of("/proc/self/cgroup")),
        Files.readAllLines(Path.of("/proc/self/mountinfo")));
  }

  /**
   * @param cgroupLines lines of /proc/pid/cgroup ({@code id:controllers:path}; v2 is {@code 0::path})
   * @param mountLines lines of /proc/pid/mountinfo
   */
  static CgroupPaths parse(List<String> cgroupLines, List<String> mountLines) {
    return new CgroupPaths(
        dirOf(cgroupLines, mountLines, null), dirOf(cgroupLines, mountLines, "memory"),
        dirOf(cgroupLines, mountLines, "pids"), dirOf(cgroupLines, mountLines, "freezer"),
        dirOf(cgroupLines, mountLines, "cpuacct"), anyFavorsDynmods(mountLines));
  }

  private static boolean anyFavorsDynmods(List<String> mountLines) {
    for (String line : mountLines) {
      int dash = line.indexOf(" - ");
      String[] right = dash < 0 ? new String[0] : line.substring(dash + 3).split(" ");
      if (right.length > 2 && right[0].startsWith("cgroup") && List.of(right[2].split(",")).contains("favordynmods")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every directory, nulls left out: where task cgroups of this process may be; the hierarchies
   * that hold a task's membership (v2, freezer) first, so a sweep kills through them.
   */
  List<Path> all() {
    return Stream.of(unified, freezer, memory, pids, cpuacct).filter(Objects::nonNull).distinct().toList();
  }

  /** The directory of this process's cgroup for a v1 controller, or v2 when controller is null. */
  private static Path dirOf(List<String> cgroupLines, List<String> mountLines, String controller) {
    String path = null;
    for (String line : cgroupLines) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && (controller == null
          ? f[0].equals("0") && f[1].isEmpty()
          : List.of(f[1].split(",")).contains(controller))) {
        path = f[2];
      }
    }
    if (path == null) {
      return null;
    }
    for (String line : mountLines) {
      // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      boolean match = controller == null
          ? right[0].equals("cgroup2")
          : right[0].equals("cgroup") && right.length > 2 && List.of(right[2].split(",")).contains(controller);
      if (match && left.length > 4) {
        String root = left[3];
        String rel = path.startsWith(root) ? path.substring(root.length()) : path;
        return Path.of(left[4], rel.startsWith("/") ? rel.substring(1) : rel);
      }
    }
    return null;
  }
}
