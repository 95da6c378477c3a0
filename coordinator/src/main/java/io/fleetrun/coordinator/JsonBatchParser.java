package io.fleetrun.coordinator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fleetrun.coordinator.BatchRequest.TaskInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a JSON batch body strictly, in one streaming pass (no tree, so a 16 MiB body with a
 * million tasks costs little more than the tasks themselves):
 *
 * <pre>
 * {"name": "...", "defaults": {SETTINGS}, "tasks": [{"cmd": "..."} | {"argv": [...]}, ...]}
 * SETTINGS (also allowed in every task): timeoutMs, killGraceMs, outputLimitBytes, env (object of
 * strings), cwd, memoryLimitBytes, pidsLimit
 * </pre>
 *
 * <p>Unknown and duplicate fields are rejected by name; a JSON {@code null} counts as "not set".
 * Every error is an {@link ApiException}: 400 with the field path ({@code tasks[3].timeoutMs}),
 * or 413 for more than {@code maxTasks} tasks. Stateless apart from its limit; thread-safe.
 */
final class JsonBatchParser {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final int maxTasks;

  JsonBatchParser(int maxTasks) {
    this.maxTasks = maxTasks;
  }

  BatchRequest parse(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest("the body must be a JSON object {\"tasks\": [...]}", null);
      }
      String name = null;
      TaskOverrides defaults = TaskOverrides.NONE;
      List<TaskInput> tasks = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "name" -> name = nullOrName(p);
          case "defaults" -> defaults = readDefaults(p);
          case "tasks" -> tasks = readTasks(p);
          default -> throw unknownField(field, "name, defaults, tasks");
        }
      }
      if (p.nextToken() != null) {
        throw ApiException.badRequest("unexpected content after the batch object", null);
      }
      if (tasks == null || tasks.isEmpty()) {
        throw ApiException.badRequest("the batch has no tasks", "tasks");
      }
      return new BatchRequest(name, defaults, tasks);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage() + at(e.getLocation()), null);
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage(), null);
    }
  }

  private static String nullOrName(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    return FieldRules.name(JsonReads.string(p, "name"), "name");
  }

  private static TaskOverrides readDefaults(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return TaskOverrides.NONE;
    }
    JsonReads.expect(p, JsonToken.START_OBJECT, "defaults", "an object");
    SettingsReader settings = new SettingsReader("defaults");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (!settings.read(field, p)) {
        throw unknownField("defaults." + field, SettingsReader.NAMES);
      }
    }
    return settings.build();
  }

  private List<TaskInput> readTasks(JsonParser p) throws IOException {
    JsonReads.expect(p, JsonToken.START_ARRAY, "tasks", "an array");
    List<TaskInput> tasks = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (tasks.size() >= maxTasks) {
        throw new ApiException(413, "too many tasks: at most " + maxTasks + " per batch", "tasks");
      }
      tasks.add(readTask(p, "tasks[" + tasks.size() + "]"));
    }
    return tasks;
  }

  private static TaskInput readTask(JsonParser p, String path) throws IOException {
    JsonReads.expect(p, JsonToken.START_OBJECT, path, "an object {\"cmd\": ...} or {\"argv\": [...]}");
    String cmd = null;
    List<String> argv = null;
    SettingsReader settings = new SettingsReader(path);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      String fieldPath = path + "." + field;
      if (field.equals("cmd")) {
        cmd = p.currentToken() == JsonToken.VALUE_NULL ? null : JsonReads.string(p, fieldPath);
      } else if (field.equals("argv")) {
        argv = p.currentToken() == JsonToken.VALUE_NULL ? null : JsonReads.stringList(p, fieldPath);
      } else if (!settings.read(field, p)) {
        throw unknownField(fieldPath, "cmd, argv, " + SettingsReader.NAMES);
      }
    }
    if ((cmd == null) == (argv == null)) {
      throw ApiException.badRequest(path + " must set exactly one of cmd and argv", path);
    }
    if (cmd != null) {
      FieldRules.command(cmd, path + ".cmd");
    } else {
      FieldRules.argv(argv, path + ".argv");
    }
    return new TaskInput(cmd, argv, settings.build());
  }

  private static ApiException unknownField(String path, String allowed) {
    return ApiException.badRequest("unknown field " + path + " (allowed: " + allowed + ")", path);
  }

  private static String at(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
