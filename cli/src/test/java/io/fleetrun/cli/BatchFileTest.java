package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.coordinator.BatchCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which batch files are JSON and which are shell commands, on real files. */
class BatchFileTest {
  @TempDir Path dir;

  private BatchFile file(String name, byte[] content) throws Exception {
    return BatchFile.read(Files.write(dir.resolve(name), content));
  }

  private BatchFile file(String name, String content) throws Exception {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonWithAByteOrderMarkIsJsonWithoutTheMark() throws Exception {
    byte[] json = "{\"tasks\":[{\"cmd\":\"true\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, withBom, 3, json.length);

    BatchFile b = file("bom.txt", withBom);
    assertTrue(b.json());
    assertArrayEquals(json, b.body());
    assertEquals(1, BatchCheck.check(b.body(), true, b.name()));
  }

  @Test
  void aJsonBatchWithoutANameIsNamedOneWithANameKeepsItAndATimeoutGoesIntoItsDefaults() throws Exception {
    BatchFile unnamed = file("nightly.json", "{\"defaults\":{\"timeoutMs\":5000},\"tasks\":[{\"cmd\":\"true\"}]}")
        .withDefaults("nightly.json", null);
    var root = io.fleetrun.common.Json.MAPPER.readTree(unnamed.body());
    assertEquals("nightly.json", root.get("name").asText());
    assertEquals(5000, root.at("/defaults/timeoutMs").asInt(), "the rest unchanged");
    assertEquals(1, BatchCheck.check(unnamed.body(), true, unnamed.name()));

    BatchFile named = file("b.json", "{\"name\":\"mine\",\"tasks\":[{\"cmd\":\"true\"}]}");
    assertArrayEquals(named.body(), named.withDefaults("other", null).body());
    BatchFile broken = file("c.json", "{\"tasks\":[");
    assertArrayEquals(broken.body(), broken.withDefaults("c.json", 1000L).body(), "left for the coordinator to explain");
    BatchFile timed = named.withDefaults("b.json", 30_000L);
    var t = io.fleetrun.common.Json.MAPPER.readTree(timed.body());
    assertEquals("mine", t.get("name").asText());
    assertEquals(30_000, t.at("/defaults/timeoutMs").asLong(), "a timeout goes into defaults");
    BatchFile wrongDefaults = file("d.json", "{\"defaults\":\"x\",\"tasks\":[{\"cmd\":\"true\"}]}");
    assertArrayEquals(wrongDefaults.body(), wrongDefaults.withDefaults("d.json", 1000L).body(),
        "a wrong defaults is reported by the coordinator, not replaced");
    BatchFile text = file("t.txt", "true\n");
    assertArrayEquals(text.body(), text.withDefaults("t.txt", 1000L).body());
  }

  @Test
  void aShellBraceGroupOnTheFirstLineIsACommand() throws Exception {
    BatchFile b = file("cmds.txt", "{ echo a; echo b; } | wc -l\ntrue\n");
    assertFalse(b.json());
    assertEquals(2, BatchCheck.check(b.body(), false, b.name()));
  }

  @Test
  void aTopLevelArrayIsJsonAndRefusedAsNotABatchObject() throws Exception {
    BatchFile b = file("array.txt", "  [{\"cmd\":\"true\"}]");
    assertTrue(b.json());
    var e = assertThrows(RuntimeException.class, () -> BatchCheck.check(b.body(), true, b.name()));
    assertTrue(e.getMessage().toLowerCase().contains("object"), e.getMessage());
  }

  @Test
  void theJsonExtensionAndAnObjectStartMakeJson() throws Exception {
    assertTrue(file("b.json", "not json at all").json());
    assertTrue(file("b.txt", "\n  {\n  \"tasks\": []}").json());
    assertTrue(file("b.txt", "{}").json());
    assertFalse(file("b.txt", "echo {\"a\"}").json());
  }
}
