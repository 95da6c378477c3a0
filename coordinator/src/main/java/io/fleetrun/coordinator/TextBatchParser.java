package io.fleetrun.coordinator;

import io.fleetrun.coordinator.BatchRequest.TaskInput;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code text/plain} batch the way GNU parallel reads its input: one shell command per
 * line ({@code \n} or {@code \r\n}), blank lines skipped, lines whose first non-blank character is
 * {@code #} skipped as comments. The body must be UTF-8.
 *
 * <p>Batch defaults come from query parameters {@code name}, {@code timeoutMs}, {@code
 * killGraceMs} and {@code outputLimitBytes}; any other parameter is rejected. Errors name the
 * 1-based line ({@code line 7}) or the parameter. Thread-safe.
 */
final class TextBatchParser {
  static final List<String> PARAMS = List.of("name", "timeoutMs", "killGraceMs", "outputLimitBytes");

  private final int maxTasks;

  TextBatchParser(int maxTasks) {
    this.maxTasks = maxTasks;
  }

  /** @param params query parameters, each name with all its values */
  BatchRequest parse(byte[] body, Map<String, List<String>> params) {
    String name = null;
    Long timeoutMs = null;
    Long killGraceMs = null;
    Long outputLimitBytes = null;
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String key = e.getKey();
      String value = single(key, e.getValue());
      switch (key) {
        case "name" -> name = FieldRules.name(value, key);
        case "timeoutMs" -> timeoutMs = FieldRules.timeoutMs(number(key, value), key);
        case "killGraceMs" -> killGraceMs = FieldRules.killGraceMs(number(key, value), key);
        case "outputLimitBytes" -> outputLimitBytes = FieldRules.outputLimitBytes(number(key, value), key);
        default -> throw ApiException.badRequest("unknown query parameter " + key
            + " (allowed for text/plain: " + String.join(", ", PARAMS) + ")", key);
      }
    }
    TaskOverrides defaults =
        new TaskOverrides(timeoutMs, killGraceMs, outputLimitBytes, null, null, null, null);
    return new BatchRequest(name, defaults.isEmpty() ? TaskOverrides.NONE : defaults, commands(body));
  }

  private List<TaskInput> commands(byte[] body) {
    String text = decode(body);
    List<TaskInput> tasks = new ArrayList<>();
    int lineNo = 0;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      lineNo++;
      String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (tasks.size() >= maxTasks) {
        throw new ApiException(413, "too many tasks: at most " + maxTasks + " per batch", "line " + lineNo);
      }
      FieldRules.command(line, "line " + lineNo);
      tasks.add(new TaskInput(line, null, TaskOverrides.NONE));
    }
    if (tasks.isEmpty()) {
      throw ApiException.badRequest("the batch has no tasks (every line is blank or a # comment)", null);
    }
    return tasks;
  }

  private static String decode(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("the body is not valid UTF-8", null);
    }
  }

  private static String single(String key, List<String> values) {
    if (values.size() != 1) {
      throw ApiException.badRequest("query parameter " + key + " given " + values.size() + " times", key);
    }
    return values.get(0);
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(key + " must be an integer, got \"" + value + "\"", key);
    }
  }
}
