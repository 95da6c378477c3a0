package io.fleetrun.worker.process;

import java.util.Locale;

/** How the supervisor holds a task's processes together, chosen when it starts. */
public enum Containment {
  /** {@link #CGROUP} where the host allows it, else {@link #PROCESS_GROUP}. */
  AUTO,
  /**
   * One cgroup per task (cgroup v2, with v1 memory and pids controllers for kernel-enforced
   * limits where the host has them): every descendant is found and killed, setsid or not;
   * CPU is accounted for the whole tree. Needs a writable cgroup v2 hierarchy with cgroup.kill.
   */
  CGROUP,
  /**
   * One session and process group per task: signals reach the group at once, a descendant that
   * calls setsid escapes it; limits are sampled from /proc.
   */
  PROCESS_GROUP;

  /** Parses {@code auto}, {@code cgroup} or {@code pgroup} (also the constant names), ignoring case. */
  public static Containment parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "auto" -> AUTO;
      case "cgroup" -> CGROUP;
      case "pgroup", "process_group", "process-group" -> PROCESS_GROUP;
      default -> throw new IllegalArgumentException(
          "containment: expected auto, cgroup or pgroup, got '" + text + "'");
    };
  }

  /** The short name {@link #parse} reads back. */
  public String label() {
    return switch (this) {
      case AUTO -> "auto";
      case CGROUP -> "cgroup";
      case PROCESS_GROUP -> "pgroup";
    };
  }
}
