package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.wire.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON and text/plain parsing and validation, without a server (the HTTP path is in SubmitApiTest). */
class BatchParserTest {
  private final JsonBatchParser json = new JsonBatchParser(5);
  private final TextBatchParser text = new TextBatchParser(5);
  private final CoordinatorConfig config = CoordinatorConfig.defaults("unused:1");

  private BatchRequest parse(String body) {
    return json.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private ApiException reject(String body) {
    return assertThrows(ApiException.class, () -> parse(body));
  }

  @Test
  void resolvesTaskOverBatchDefaultsOverCoordinatorDefaults() {
    BatchRequest r = parse("""
        {"name": "nightly", "defaults": {"timeoutMs": 1000, "env": {"A": "1", "B": "2"}, "cwd": "/tmp"},
         "tasks": [{"cmd": "echo hi"},
                   {"argv": ["ls", "-l"], "timeoutMs": 0, "env": {"B": "3"}, "memoryLimitBytes": 2097152,
                    "pidsLimit": 10, "killGraceMs": 7, "outputLimitBytes": 100}]}
        """);
    assertEquals("nightly", r.name());
    TaskSpec first = r.spec("bX", 1, 42, config);
    assertEquals("bX.1", first.taskId());
    assertEquals(1, first.attempt());
    assertEquals("echo hi", first.cmd());
    assertEquals(1000, first.timeoutMs());
    assertEquals(CoordinatorConfig.DEFAULT_KILL_GRACE_MS, first.killGraceMs());
    assertEquals(CoordinatorConfig.DEFAULT_OUTPUT_LIMIT_BYTES, first.outputLimitBytes());
    assertEquals(Map.of("A", "1", "B", "2"), first.env());
    assertEquals("/tmp", first.cwd());
    assertNull(first.memoryLimitBytes());
    assertEquals(42, first.submittedAtMs());
    TaskSpec second = r.spec("bX", 2, 42, config);
    assertEquals(List.of("ls", "-l"), second.argv());
    assertEquals(0, second.timeoutMs(), "0 (no timeout) is a value of its own, not 'unset'");
    assertEquals(Map.of("A", "1", "B", "3"), second.env(), "env merges key by key, the task wins");
    assertEquals(2097152L, second.memoryLimitBytes());
    assertEquals(10, second.pidsLimit());
    assertEquals(7, second.killGraceMs());
    assertEquals(100, second.outputLimitBytes());
  }

  @Test
  void unsetLimitsGetTheDocumentedDefaults() {
    TaskSpec s = parse("{\"tasks\":[{\"cmd\":\"true\"}]}").spec("b1", 1, 0, config);
    assertEquals(3_600_000, s.timeoutMs());
    assertEquals(5_000, s.killGraceMs());
    assertEquals(65_536, s.outputLimitBytes());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON                 | {"tasks": [               |
      not an object                  | [1,2]                      |
      trailing content               | {"tasks":[{"cmd":"a"}]} x  |
      empty batch                    | {"tasks": []}              | tasks
      no tasks field                 | {"name": "x"}              | tasks
      unknown top field              | {"tasks":[{"cmd":"a"}],"priority":1} | priority
      unknown task field             | {"tasks":[{"cmd":"a"},{"cmd":"b","retries":2}]} | tasks[1].retries
      unknown defaults field         | {"defaults":{"timeout":1},"tasks":[{"cmd":"a"}]} | defaults.timeout
      duplicate field                | {"tasks":[{"cmd":"a","cmd":"b"}]} |
      neither cmd nor argv           | {"tasks":[{"cmd":"a"},{"timeoutMs":5}]} | tasks[1]
      both cmd and argv              | {"tasks":[{"cmd":"a","argv":["b"]}]} | tasks[0]
      blank cmd                      | {"tasks":[{"cmd":"   "}]}   | tasks[0].cmd
      empty argv                     | {"tasks":[{"argv":[]}]}    | tasks[0].argv
      empty argv program             | {"tasks":[{"argv":["","x"]}]} | tasks[0].argv[0]
      argv element not a string      | {"tasks":[{"argv":["ls",3]}]} | tasks[0].argv[1]
      NUL in cmd                     | {"tasks":[{"cmd":"echo \\u0000"}]} | tasks[0].cmd
      NUL in argv                    | {"tasks":[{"argv":["echo","a\\u0000"]}]} | tasks[0].argv[1]
      negative timeout               | {"tasks":[{"cmd":"a"},{"cmd":"a"},{"cmd":"a"},{"cmd":"a","timeoutMs":-1}]} | tasks[3].timeoutMs
      timeout over 7 days            | {"tasks":[{"cmd":"a","timeoutMs":604800001}]} | tasks[0].timeoutMs
      timeout as string              | {"tasks":[{"cmd":"a","timeoutMs":"5"}]} | tasks[0].timeoutMs
      timeout as decimal             | {"tasks":[{"cmd":"a","timeoutMs":5.5}]} | tasks[0].timeoutMs
      timeout huge                   | {"tasks":[{"cmd":"a","timeoutMs":99999999999999999999999}]} | tasks[0].timeoutMs
      kill grace over 10 min         | {"tasks":[{"cmd":"a","killGraceMs":600001}]} | tasks[0].killGraceMs
      output limit over 1 MiB        | {"defaults":{"outputLimitBytes":1048577},"tasks":[{"cmd":"a"}]} | defaults.outputLimitBytes
      negative output limit          | {"tasks":[{"cmd":"a","outputLimitBytes":-5}]} | tasks[0].outputLimitBytes
      memory limit under 1 MiB       | {"tasks":[{"cmd":"a","memoryLimitBytes":1000}]} | tasks[0].memoryLimitBytes
      pids limit zero                | {"tasks":[{"cmd":"a","pidsLimit":0}]} | tasks[0].pidsLimit
      env key with equals            | {"tasks":[{"cmd":"a","env":{"A=B":"x"}}]} | tasks[0].env
      env key empty                  | {"defaults":{"env":{"":"x"}},"tasks":[{"cmd":"a"}]} | defaults.env
      env key with NUL               | {"tasks":[{"cmd":"a","env":{"A\\u0000":"x"}}]} | tasks[0].env
      env value not a string         | {"tasks":[{"cmd":"a","env":{"A":1}}]} | tasks[0].env.A
      env not an object              | {"tasks":[{"cmd":"a","env":["A=1"]}]} | tasks[0].env
      relative cwd                   | {"tasks":[{"cmd":"a","cwd":"tmp"}]} | tasks[0].cwd
      task not an object             | {"tasks":["echo hi"]}      | tasks[0]
      too many tasks                 | {"tasks":[{"cmd":"a"},{"cmd":"a"},{"cmd":"a"},{"cmd":"a"},{"cmd":"a"},{"cmd":"a"}]} | tasks
      name with control characters   | {"name":"a\\nb","tasks":[{"cmd":"a"}]} | name
      """)
  void rejectsBadJsonNamingTheField(String what, String body, String field) {
    ApiException e = reject(body);
    assertEquals(what.equals("too many tasks") ? 413 : 400, e.status(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().length() > 10, "a readable message: " + e.getMessage());
  }

  @Test
  void nullMeansNotSet() {
    BatchRequest r = parse("{\"name\":null,\"defaults\":null,\"tasks\":[{\"cmd\":\"a\",\"argv\":null,\"timeoutMs\":null}]}");
    assertNull(r.name());
    assertEquals(3_600_000, r.spec("b", 1, 0, config).timeoutMs());
  }

  @Test
  void overlongCommandIsRejected() {
    String body = "{\"tasks\":[{\"cmd\":\"" + "x".repeat(FieldRules.MAX_ARG_BYTES + 1) + "\"}]}";
    assertEquals("tasks[0].cmd", reject(body).field());
  }

  @Test
  void textBodyIsOneCommandPerLineSkippingBlanksAndComments() {
    String body = "# nightly\necho one\r\n\n   \n  # indented comment\nsleep 1; echo 'two # not a comment'\nlast";
    BatchRequest r = text.parse(body.getBytes(StandardCharsets.UTF_8),
        Map.of("name", List.of("nightly"), "timeoutMs", List.of("2000"), "outputLimitBytes", List.of("10")));
    assertEquals(List.of("echo one", "sleep 1; echo 'two # not a comment'", "last"),
        r.tasks().stream().map(BatchRequest.TaskInput::cmd).toList());
    assertEquals("nightly", r.name());
    TaskSpec s = r.spec("b", 3, 0, config);
    assertEquals(2000, s.timeoutMs());
    assertEquals(10, s.outputLimitBytes());
    assertEquals(CoordinatorConfig.DEFAULT_KILL_GRACE_MS, s.killGraceMs());
  }

  @Test
  void textBodyErrorsNameTheLineOrParameter() {
    ApiException nul = assertThrows(ApiException.class,
        () -> text.parse("ok\n\necho \0 bad\n".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertEquals("line 3", nul.field());
    ApiException empty = assertThrows(ApiException.class,
        () -> text.parse("\n# only a comment\n\n".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertEquals(400, empty.status());
    ApiException param = assertThrows(ApiException.class,
        () -> text.parse("true".getBytes(StandardCharsets.UTF_8), Map.of("cwd", List.of("/"))));
    assertEquals("cwd", param.field());
    ApiException num = assertThrows(ApiException.class,
        () -> text.parse("true".getBytes(StandardCharsets.UTF_8), Map.of("timeoutMs", List.of("soon"))));
    assertEquals("timeoutMs", num.field());
    ApiException range = assertThrows(ApiException.class,
        () -> text.parse("true".getBytes(StandardCharsets.UTF_8), Map.of("killGraceMs", List.of("-1"))));
    assertEquals("killGraceMs", range.field());
    ApiException utf8 = assertThrows(ApiException.class,
        () -> text.parse(new byte[] {'a', (byte) 0xff, '\n'}, Map.of()));
    assertTrue(utf8.getMessage().contains("UTF-8"));
    ApiException many = assertThrows(ApiException.class,
        () -> text.parse("a\nb\nc\nd\ne\nf\n".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertEquals(413, many.status());
  }
}
