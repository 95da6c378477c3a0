package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetrun.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A batch file as the user gave it: JSON (a batch object) or text (one shell command per line).
 * A UTF-8 byte-order mark is dropped. JSON when the name ends in {@code .json}, or the content
 * starts with {@code [} or with <code>{</code> followed by {@code "} or <code>}</code>; anything
 * else is text, so a shell brace group (<code>{ echo a; } | wc -l</code>) stays a command.
 */
record BatchFile(Path path, byte[] body, boolean json, String name) {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Reads the file, or {@code -} for standard input. */
  static BatchFile read(Path path) {
    try {
      boolean stdin = path.toString().equals("-") || path.getFileName() == null;
      byte[] body = withoutBom(path.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(path));
      String name = stdin ? "stdin" : path.getFileName().toString();
      return new BatchFile(path, body, looksLikeJson(name, body), name);
    } catch (NoSuchFileException e) {
      throw CliException.usage("batch file " + path + ": no such file");
    } catch (IOException e) {
      throw CliException.usage("batch file " + path + ": cannot read (" + e + ")");
    }
  }

  /**
   * This batch with {@code batchName} as its name where a JSON batch sets none, and {@code
   * timeoutMs} (when not null) as its {@code defaults.timeoutMs}; a text batch is returned as it
   * is (it takes both from the request). A body that does not parse as a JSON object is left as
   * it is, for the coordinator to explain.
   */
  BatchFile withDefaults(String batchName, Long timeoutMs) {
    if (!json) {
      return this;
    }
    try {
      if (!(Json.MAPPER.readTree(body) instanceof ObjectNode o)) {
        return this;
      }
      if (batchName != null && (!o.has("name") || o.get("name").isNull())) {
        o.put("name", batchName);
      }
      if (timeoutMs != null) {
        JsonNode d = o.get("defaults");
        if (d != null && !d.isNull() && !d.isObject()) {
          return this; // a wrong defaults is the coordinator's to explain, not ours to replace
        }
        ObjectNode defaults = d instanceof ObjectNode od ? od : o.putObject("defaults");
        defaults.put("timeoutMs", timeoutMs);
      }
      return new BatchFile(path, Json.MAPPER.writeValueAsBytes(o), true, name);
    } catch (IOException | RuntimeException e) {
      return this; // not ours to report
    }
  }

  static boolean looksLikeJson(String name, byte[] body) {
    if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
      return true;
    }
    String start = new String(body, 0, Math.min(body.length, 256), StandardCharsets.UTF_8).stripLeading();
    if (start.startsWith("[")) {
      return true;
    }
    return start.startsWith("{") && (start.substring(1).stripLeading().startsWith("\"")
        || start.substring(1).stripLeading().startsWith("}"));
  }

  private static byte[] withoutBom(byte[] body) {
    boolean bom = body.length >= 3 && Arrays.equals(body, 0, 3, BOM, 0, 3);
    return bom ? Arrays.copyOfRange(body, 3, body.length) : body;
  }
}
