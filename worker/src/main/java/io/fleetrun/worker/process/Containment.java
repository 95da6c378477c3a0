package io.fleetrun.worker.process;

import java.util.Locale;

/** How the supervisor holds a task's processes together, chosen when it starts. */
public enum Containment {
  /** {@link #CGROUP} where the host allows it, else {@link #CGROUP_V1}, else {@link #PROCESS_GROUP}. */
  AUTO,
  /**
   * One cgroup per task (cgroup v2, with v1 memory and pids controllers for kernel-enforced
   * limits where the host has them): every descendant is found and killed at once, setsid or not;
   * CPU is accounted for the whole tree. Needs a writable cgroup v2 hierarchy with cgroup.kill;
   * asked for on a host without one, it is {@link #CGROUP_V1} when that is there.
   */
  CGROUP,
  /**
   * One cgroup per task in the v1 hierarchies (hosts without a usable cgroup v2): membership and
   * the kill by the freezer (freeze, SIGKILL every member, thaw), CPU by cpuacct, limits by the
   * memory and pids controllers where mounted. Asked for explicitly, it is used even where v2 is.
   */
  CGROUP_V1,
  /**
   * One session and process group per task: signals reach the group at once, a descendant that
   * calls setsid escapes it; limits are sampled from /proc.
   */
  PROCESS_GROUP;

  /**
   * Parses {@code auto}, {@code cgroup}, {@code cgroup-v1} or {@code pgroup} (also the constant
   * names), ignoring case.
   */
  public static Containment parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "auto" -> AUTO;
      case "cgroup" -> CGROUP;
      case "cgroup-v1", "cgroup_v1", "cgroup1" -> CGROUP_V1;
      case "pgroup", "process_group", "process-group" -> PROCESS_GROUP;
      default -> throw new IllegalArgumentException(
          "containment: expected auto, cgroup, cgroup-v1 or pgroup, got '" + text + "'");
    };
  }

  /** The short name {@link #parse} reads back. */
  public String label() {
    return switch (this) {
      case AUTO -> "auto";
      case CGROUP -> "cgroup";
      case CGROUP_V1 -> "cgroup-v1";
      case PROCESS_GROUP -> "pgroup";
    };
  }
}
