package io.fleetrun.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings a batch's {@code defaults} or a single task may give; null means "not set here".
 * Already validated by the parser. Immutable.
 *
 * <p>Resolution: a task's own value wins over the batch default, which wins over the
 * coordinator's default. {@code env} is merged key by key (a task's key wins), so a batch can set
 * {@code PATH} once and a task add its own variables.
 */
public record TaskOverrides(
    Long timeoutMs,
    Long killGraceMs,
    Long outputLimitBytes,
    Map<String, String> env,
    String cwd,
    Long memoryLimitBytes,
    Integer pidsLimit) {

  public static final TaskOverrides NONE = new TaskOverrides(null, null, null, null, null, null, null);

  public TaskOverrides {
    env = env == null || env.isEmpty() ? null : Map.copyOf(env);
  }

  /** True when nothing is set, so a task can share the batch defaults instead of a copy. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** These values over {@code base}: each field set here wins, env merged key by key. */
  public TaskOverrides over(TaskOverrides base) {
    if (isEmpty()) {
      return base;
    }
    if (base.isEmpty()) {
      return this;
    }
    Map<String, String> mergedEnv = env;
    if (base.env != null && env != null) {
      Map<String, String> m = new LinkedHashMap<>(base.env);
      m.putAll(env);
      mergedEnv = m;
    } else if (env == null) {
      mergedEnv = base.env;
    }
    return new TaskOverrides(
        timeoutMs != null ? timeoutMs : base.timeoutMs,
        killGraceMs != null ? killGraceMs : base.killGraceMs,
        outputLimitBytes != null ? outputLimitBytes : base.outputLimitBytes,
        mergedEnv,
        cwd != null ? cwd : base.cwd,
        memoryLimitBytes != null ? memoryLimitBytes : base.memoryLimitBytes,
        pidsLimit != null ? pidsLimit : base.pidsLimit);
  }
}
