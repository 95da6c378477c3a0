package io.fleetrun.coordinator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;

/**
 * Collects the per-task settings of one JSON object ({@code defaults} or a task) while the parser
 * walks it, validating each value as it arrives. One instance per object; not thread-safe.
 */
final class SettingsReader {
  static final String NAMES =
      "timeoutMs, killGraceMs, outputLimitBytes, env, cwd, memoryLimitBytes, pidsLimit";

  private final String path;
  private Long timeoutMs;
  private Long killGraceMs;
  private Long outputLimitBytes;
  private Map<String, String> env;
  private String cwd;
  private Long memoryLimitBytes;
  private Integer pidsLimit;

  /** @param path JSON path of the object, for error messages, e.g. {@code tasks[3]} */
  SettingsReader(String path) {
    this.path = path;
  }

  /**
   * Reads the value of {@code field} at the parser's current token.
   *
   * @return false when {@code field} is not a setting (the caller decides what else it may be)
   */
  boolean read(String field, JsonParser p) throws IOException {
    String f = path + "." + field;
    boolean isNull = p.currentToken() == JsonToken.VALUE_NULL;
    switch (field) {
      case "timeoutMs" -> timeoutMs = isNull ? null : FieldRules.timeoutMs(JsonReads.integer(p, f), f);
      case "killGraceMs" -> killGraceMs = isNull ? null : FieldRules.killGraceMs(JsonReads.integer(p, f), f);
      case "outputLimitBytes" ->
          outputLimitBytes = isNull ? null : FieldRules.outputLimitBytes(JsonReads.integer(p, f), f);
      case "env" -> env = isNull ? null : JsonReads.env(p, f);
      case "cwd" -> cwd = isNull ? null : FieldRules.cwd(JsonReads.string(p, f), f);
      case "memoryLimitBytes" ->
          memoryLimitBytes = isNull ? null : FieldRules.memoryLimitBytes(JsonReads.integer(p, f), f);
      case "pidsLimit" -> pidsLimit = isNull ? null : FieldRules.pidsLimit(JsonReads.integer(p, f), f);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The settings read so far; {@link TaskOverrides#NONE} (shared) when there were none. */
  TaskOverrides build() {
    TaskOverrides o = new TaskOverrides(timeoutMs, killGraceMs, outputLimitBytes, env, cwd,
        memoryLimitBytes, pidsLimit);
    return o.isEmpty() ? TaskOverrides.NONE : o;
  }
}
