package io.fleetrun.loadtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One task the driver submits: a shell command with optional limits (null = the coordinator's
 * default), and a label the driver keeps to itself (the soak's task kind), never sent.
 */
public record TaskRequest(String cmd, Long timeoutMs, Long killGraceMs, Long outputLimitBytes, String label) {
  public TaskRequest {
    Objects.requireNonNull(cmd, "cmd");
  }

  /** A plain shell command with a timeout (ms) and no other setting. */
  public static TaskRequest shell(String cmd, long timeoutMs, String label) {
    return new TaskRequest(cmd, timeoutMs, null, null, label);
  }

  /** The task as the coordinator's JSON batch format spells it (the label stays here). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Wire(String cmd, Long timeoutMs, Long killGraceMs, Long outputLimitBytes) {}

  Wire wire() {
    return new Wire(cmd, timeoutMs, killGraceMs, outputLimitBytes);
  }
}
