package io.fleetrun.worker.process;

import io.fleetrun.common.wire.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The explicit environment of a child: nothing is inherited from the worker by accident.
 *
 * <p>A child sees the base environment (by default {@link #defaultBase()}; the worker
 * configuration may pass its own), then the task's {@code env} on top (the task wins), then
 * {@code FLEETRUN_BATCH_ID}, {@code FLEETRUN_TASK_ID} and {@code FLEETRUN_SEQ}, which always
 * describe the running task, and {@code FLEETRUN_SUPERVISOR} ({@code pid:starttime} of the
 * worker), the mark by which a later worker finds what a dead one left running ({@link
 * OrphanSweeper}); every descendant inherits it, even one that leaves the process group.
 */
final class ChildEnvironment {
  /** The variable naming the task every process of it inherits (also read back by {@link Subreaper}). */
  static final String TASK_ID = "FLEETRUN_TASK_ID";
  /** The {@code PATH} of the default base, independent of the worker's own {@code PATH}. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ChildEnvironment() {}

  /**
   * The default base: {@code PATH} = {@link #DEFAULT_PATH}, {@code HOME} (the worker's), {@code
   * LANG=C.UTF-8}, and {@code TMPDIR} only when the worker has one. Returns a new mutable map.
   */
  static Map<String, String> defaultBase() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("PATH", DEFAULT_PATH);
    String home = System.getenv("HOME");
    base.put("HOME", home != null ? home : System.getProperty("user.home"));
    base.put("LANG", "C.UTF-8");
    String tmp = System.getenv("TMPDIR");
    if (tmp != null) {
      base.put("TMPDIR", tmp);
    }
    return base;
  }

  /** The environment for {@code spec}: base, then the task's env, then the FLEETRUN_ variables. */
  static Map<String, String> compose(Map<String, String> base, TaskSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(base == null ? defaultBase() : base);
    env.putAll(spec.env());
    env.put("FLEETRUN_BATCH_ID", spec.batchId());
    env.put(TASK_ID, spec.taskId());
    env.put("FLEETRUN_SEQ", Integer.toString(spec.seq()));
    env.put(OrphanSweeper.MARK, OrphanSweeper.SELF);
    return env;
  }
}
