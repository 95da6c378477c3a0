package io.fleetrun.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire records survive JSON both ways, with the field names other roles rely on. */
class JsonWireTest {

  @Test
  void shellTaskSpecRoundTripsAndOmitsUnsetLimits() throws Exception {
    TaskSpec spec = new TaskSpec(TaskSpec.VERSION, "b1", "b1-7", 7, 1, "echo hi", null,
        Map.of("A", "1"), "/tmp", 30_000, 2_000, 65_536, null, null, 1_700_000_000_000L);
    byte[] json = Json.write(spec);
    assertEquals(spec, Json.read(json, TaskSpec.class));

    JsonNode tree = Json.MAPPER.readTree(json);
    assertEquals(1, tree.get("v").asInt());
    assertFalse(tree.has("argv"), "null fields are left out");
    assertFalse(tree.has("memoryLimitBytes"));
    assertEquals(List.of("/bin/sh", "-c", "echo hi"), Json.read(json, TaskSpec.class).commandLine());
  }

  @Test
  void argvTaskSpecWithLimitsRoundTrips() {
    TaskSpec spec = new TaskSpec(TaskSpec.VERSION, "b2", "b2-1", 1, 3, null, List.of("ls", "-l"),
        null, null, 0, 5_000, 1 << 20, 100L << 20, 50, 1L);
    TaskSpec back = Json.read(Json.write(spec), TaskSpec.class);
    assertEquals(spec, back);
    assertEquals(List.of("ls", "-l"), back.commandLine());
    assertEquals(100L << 20, back.memoryLimitBytes());
    assertEquals(50, back.pidsLimit());
  }

  @Test
  void unknownFieldsFromANewerWriterAreIgnored() {
    String json = "{\"v\":2,\"batchId\":\"b\",\"taskId\":\"t\",\"seq\":1,\"attempt\":1,"
        + "\"cmd\":\"true\",\"futureField\":{\"x\":1},\"timeoutMs\":0,\"killGraceMs\":0,"
        + "\"outputLimitBytes\":0,\"submittedAtMs\":0}";
    TaskSpec spec = Json.read(json.getBytes(), TaskSpec.class);
    assertEquals(2, spec.v());
    assertEquals("true", spec.cmd());
  }

  @Test
  void taskSpecWithNeitherCmdNorArgvIsRejectedOnRead() {
    String json = "{\"v\":1,\"batchId\":\"b\",\"taskId\":\"t\",\"seq\":1,\"attempt\":1}";
    assertThrows(RuntimeException.class, () -> Json.read(json.getBytes(), TaskSpec.class));
  }

  @Test
  void exitCodeResultKeepsCodeAndLeavesSignalOut() throws Exception {
    TaskResult r = new TaskResult(Outcome.FAILED, 137, null, null, false, null, 10, 25, 3, 1,
        4096L, 0, new StreamCapture("out", "", 3, 3, false, false), null);
    byte[] json = Json.write(r);
    TaskResult back = Json.read(json, TaskResult.class);
    assertEquals(r, back);
    assertEquals(137, back.exitCode());
    assertNull(back.signal());
    assertNull(back.cause());
    assertEquals(15, back.durationMs());
    assertEquals(StreamCapture.EMPTY, back.stderr());

    JsonNode tree = Json.MAPPER.readTree(json);
    assertFalse(tree.has("signal"));
    assertFalse(tree.has("durationMs"), "derived values are not written");
    assertEquals("FAILED", tree.get("outcome").asText());
  }

  @Test
  void signalResultKeepsSignalCauseAndTruncatedCapture() {
    StreamCapture out = new StreamCapture("head\uFFFD", "tail", 1_048_576, 65_536, true, true);
    TaskResult r = new TaskResult(Outcome.TIMED_OUT, null, "KILL", "timeout", true, null, 100,
        5_100, 0, 0, null, 2, out, StreamCapture.EMPTY);
    TaskResult back = Json.read(Json.write(r), TaskResult.class);
    assertEquals(r, back);
    assertNull(back.exitCode());
    assertEquals("KILL", back.signal());
    assertTrue(back.escalatedToKill());
    assertEquals(2, back.descendantsKilled());
    assertTrue(back.stdout().truncated());
    assertTrue(back.stdout().invalidUtf8());
    assertEquals("head\uFFFD", back.stdout().head());
    assertTrue(back.stdout().text().contains("983040 bytes not kept"));
  }

  @Test
  void resultEventsCarryTheirTypeAndReadBackAsTheRightVariant() throws Exception {
    TaskResult result = new TaskResult(Outcome.SUCCEEDED, 0, null, null, false, null, 1, 2, 0, 0,
        null, 0, null, null);
    List<ResultEvent> events = List.of(
        new ResultEvent.BatchAccepted(ResultEvent.VERSION, "b", "nightly", 3, 42L),
        new ResultEvent.TaskStarted(ResultEvent.VERSION, "b", "b-1", 1, 1, "w1", "host", 43L),
        new ResultEvent.TaskFinished(ResultEvent.VERSION, "b", "b-1", 1, 1, "w1", "host", result));
    List<String> types = List.of("BATCH_ACCEPTED", "TASK_STARTED", "TASK_FINISHED");
    for (int i = 0; i < events.size(); i++) {
      byte[] json = Json.write(events.get(i));
      assertEquals(types.get(i), Json.MAPPER.readTree(json).get("type").asText());
      ResultEvent back = Json.read(json, ResultEvent.class);
      assertInstanceOf(events.get(i).getClass(), back);
      assertEquals(events.get(i), back);
    }
  }

  @Test
  void resultEventOfUnknownTypeFailsToReadSoConsumersMustSkipIt() {
    String json = "{\"type\":\"SOMETHING_NEW\",\"v\":1,\"batchId\":\"b\"}";
    assertThrows(RuntimeException.class, () -> Json.read(json.getBytes(), ResultEvent.class));
  }
}
