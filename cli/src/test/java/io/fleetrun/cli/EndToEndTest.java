package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole path: HTTP submit, Kafka, worker, child processes, results, projection. */
@Timeout(180)
@ExtendWith(LeakGuard.class)
class EndToEndTest {
  private TestCluster cluster;

  @BeforeAll
  static void sharedResources() {
    // before the leak guard's first snapshot: the broker and the CLI's one HTTP client (its
    // selector's epoll and eventfd) live as long as the JVM
    TestKafka.bootstrap();
    new CoordinatorClient("http://127.0.0.1:1", null);
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterAll
  static void nothingLeft() {
    assertEquals(0, ChildProcesses.zombies(), "zombie children of the test JVM");
    assertEquals(0, ChildProcesses.liveTaskRoots(), "task trees still alive");
    assertEquals(List.of(), ChildProcesses.withCommandLine("sleep 74"), "task processes left behind");
  }

  private static JsonNode await(CoordinatorClient c, String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode b = c.batch(id);
      String s = b.path("state").asText();
      if (s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED")) {
        return b;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("batch " + id + " did not finish");
  }

  private static String submit(CoordinatorClient c, ObjectNode batch) {
    return c.submit(Json.write(batch), true, Map.of()).path("batchId").asText();
  }

  private static ObjectNode batchOf(String name, List<ObjectNode> tasks) {
    ObjectNode b = Json.MAPPER.createObjectNode().put("name", name);
    b.putObject("defaults").put("timeoutMs", 30_000).put("killGraceMs", 300).put("outputLimitBytes", 4096);
    ArrayNode arr = b.putArray("tasks");
    tasks.forEach(arr::add);
    return b;
  }

  private static ObjectNode cmd(String cmd) {
    return Json.MAPPER.createObjectNode().put("cmd", cmd);
  }

  @Test
  void aMixedBatchReportsEveryTaskOnceWithExitCodeAndSignalKeptApart() throws Exception {
    cluster = new TestCluster(6);
    List<ObjectNode> tasks = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 299; seq++) {
      tasks.add(switch (seq % 10) {
        case 6 -> cmd("echo failing >&2; exit 7");
        case 7 -> cmd("kill -TERM $$");
        case 8 -> cmd("sleep 741").put("timeoutMs", 400);
        case 9 -> cmd("exit 137");
        default -> cmd("echo ok " + seq);
      });
    }
    tasks.add(cmd("head -c 5000000 /dev/zero | tr '\\000' x").put("outputLimitBytes", 65536));
    CoordinatorClient c = cluster.client();
    String id = submit(c, batchOf("e2e-mixed", tasks));
    JsonNode batch = await(c, id);
    assertEquals("FAILED", batch.path("state").asText());
    assertEquals(300, batch.path("done").asInt());
    JsonNode counts = batch.path("counts");
    // seq 1..299: remainders 0-5 succeed (179), 6, 7 and 9 fail (30 each), 8 times out (30)
    assertEquals(179 + 1, counts.path("SUCCEEDED").asInt());
    assertEquals(90, counts.path("FAILED").asInt());
    assertEquals(30, counts.path("TIMED_OUT").asInt());

    JsonNode items = c.tasks(id, null, 0, 1000).path("items");
    assertEquals(300, items.size());
    for (JsonNode t : items) {
      int seq = t.path("seq").asInt();
      switch (seq == 300 ? -1 : seq % 10) {
        case 6 -> assertExit(t, "FAILED", 7);
        case 7 -> assertSignal(t, "FAILED", "TERM");
        case 8 -> assertEquals("TIMED_OUT", t.path("outcome").asText(), t.toString());
        case 9 -> assertExit(t, "FAILED", 137);
        default -> assertExit(t, "SUCCEEDED", 0);
      }
    }
    JsonNode big = c.task(id + ".300").path("attempts").get(0).path("result").path("stdout");
    assertEquals(5_000_000, big.path("totalBytes").asLong());
    assertEquals(65_536, big.path("keptBytes").asLong());
    assertTrue(big.path("truncated").asBoolean());
    JsonNode failing = c.task(id + ".6").path("attempts").get(0).path("result");
    assertEquals("failing\n", failing.path("stderr").path("head").asText());

    try (ResultsReader reader = new ResultsReader(cluster.bootstrap, id)) {
      List<ResultEvent> events = reader.until(ev -> ResultsReader.finishedCount(ev) >= 300, Duration.ofSeconds(30));
      Map<String, Integer> finishedPerTask = new HashMap<>();
      events.stream().filter(e -> e instanceof TaskFinished)
          .forEach(e -> finishedPerTask.merge(((TaskFinished) e).taskId(), 1, Integer::sum));
      assertEquals(300, finishedPerTask.size());
      assertTrue(finishedPerTask.values().stream().allMatch(n -> n == 1), "a task reported twice");
    }
  }

  private static void assertExit(JsonNode t, String outcome, int exit) {
    assertEquals(outcome, t.path("outcome").asText(), t.toString());
    assertEquals(exit, t.path("exitCode").asInt(), t.toString());
    assertTrue(t.path("signal").isMissingNode() || t.path("signal").isNull(), t.toString());
  }

  private static void assertSignal(JsonNode t, String outcome, String signal) {
    assertEquals(outcome, t.path("outcome").asText(), t.toString());
    assertEquals(signal, t.path("signal").asText(), t.toString());
    assertTrue(t.path("exitCode").isMissingNode() || t.path("exitCode").isNull(), t.toString());
    assertTrue(t.path("cause").isMissingNode() || t.path("cause").isNull(), "no cause: the worker sent nothing");
  }

  @Test
  void aRestartedCoordinatorShowsTheSameStateAndTheBatchStillCompletes() throws Exception {
    cluster = new TestCluster(2);
    CoordinatorClient c = cluster.client();
    String done = submit(c, batchOf("e2e-before", List.of(cmd("echo one"), cmd("exit 4"), cmd("kill -KILL $$"))));
    JsonNode doneBefore = await(c, done);
    JsonNode doneTasksBefore = c.tasks(done, null, 0, 100);

    List<ObjectNode> slow = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      slow.add(cmd("sleep 0.2; echo slow " + i));
    }
    String running = submit(c, batchOf("e2e-restart", slow));
    while (c.batch(running).path("done").asInt() < 4) {
      Thread.sleep(50);
    }
    int doneAtStop = c.batch(running).path("done").asInt();
    cluster.stopCoordinator();
    Thread.sleep(500); // the worker keeps running tasks while no coordinator exists
    cluster.startCoordinator();
    CoordinatorClient c2 = cluster.client();

    assertEquals(doneBefore, c2.batch(done), "a finished batch is rebuilt exactly from Kafka");
    assertEquals(doneTasksBefore, c2.tasks(done, null, 0, 100));
    assertTrue(c2.batch(running).path("done").asInt() >= doneAtStop);
    JsonNode after = await(c2, running);
    assertEquals("SUCCEEDED", after.path("state").asText());
    assertEquals(30, after.path("counts").path("SUCCEEDED").asInt());
  }

  @Test
  void tasksRunningWhenTheirWorkerStopsRunAgainElsewhereAndAreCountedAsReruns() throws Exception {
    cluster = new TestCluster(2);
    CoordinatorClient c = cluster.client();
    List<ObjectNode> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tasks.add(cmd("sleep 0.8; echo done " + i));
    }
    String id = submit(c, batchOf("e2e-rerun", tasks));
    while (c.batch(id).path("counts").path("RUNNING").asInt() < 2) {
      Thread.sleep(20);
    }
    cluster.stopWorker(); // both running children are stopped; their records stay uncommitted
    assertEquals(0, ChildProcesses.liveTaskRoots());
    cluster.startWorker();
    JsonNode b = await(c, id);
    assertEquals("SUCCEEDED", b.path("state").asText(), b.toString());
    assertEquals(6, b.path("counts").path("SUCCEEDED").asInt());
    assertTrue(b.path("reruns").asInt() >= 2, "the two interrupted tasks ran again: " + b);
    long twice = 0;
    for (JsonNode t : c.tasks(id, null, 0, 100).path("items")) {
      assertEquals(1, t.path("attempt").asInt(), "redelivery keeps the attempt number");
      twice += t.path("runs").asInt() >= 2 ? 1 : 0;
    }
    assertEquals(b.path("reruns").asLong(), twice, "reruns are the tasks that ran twice");
  }

  @Test
  void cancellingABatchEndsEveryTaskCancelledAndLeavesNoProcess() throws Exception {
    cluster = new TestCluster(2);
    CoordinatorClient c = cluster.client();
    List<ObjectNode> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tasks.add(cmd("sleep 745"));
    }
    String id = submit(c, batchOf("e2e-cancel", tasks));
    while (c.batch(id).path("counts").path("RUNNING").asInt() < 2) {
      Thread.sleep(20);
    }
    JsonNode answer = c.cancel(id);
    assertTrue(answer.path("cancelRequested").asBoolean(), answer.toString());
    JsonNode b = await(c, id);
    assertEquals("CANCELLED", b.path("state").asText(), b.toString());
    assertEquals(6, b.path("counts").path("CANCELLED").asInt(), b.toString());
    assertEquals(List.of(), ChildProcesses.withCommandLine("sleep 745"));
    assertEquals("404", c404(() -> c.cancel("bnosuchbatch")));
  }

  private static String c404(Runnable call) {
    try {
      call.run();
      return "accepted";
    } catch (CliException e) {
      return e.getMessage().contains("answered 404") ? "404" : e.getMessage();
    }
  }

  @Test
  void badRequestsGetA4xxNamingTheFieldAndTheNextBatchStillRuns() throws Exception {
    cluster = new TestCluster(2);
    CoordinatorClient c = cluster.client();
    assertRejected(() -> c.submit("{not json".getBytes(), true, Map.of()), "400");
    assertRejected(() -> c.submit("{\"tasks\":[]}".getBytes(), true, Map.of()), "tasks");
    assertRejected(() -> c.submit("{\"tasks\":[{\"cmd\":\" \"}]}".getBytes(), true, Map.of()), "tasks[0]");
    assertRejected(() -> c.submit("{\"tasks\":[{\"cmd\":\"true\",\"timeoutMs\":-1}]}".getBytes(), true, Map.of()),
        "tasks[0].timeoutMs");
    assertRejected(() -> c.submit("{\"tasks\":[{\"cmd\":\"true\",\"bogus\":1}]}".getBytes(), true, Map.of()), "bogus");
    assertRejected(() -> c.submit("# only a comment\n\n".getBytes(), false, Map.of("name", "empty")), "400");
    String id = c.submit("echo fine\n# comment\n\necho also fine\n".getBytes(), false, Map.of("name", "after-bad-input"))
        .path("batchId").asText();
    JsonNode b = await(c, id);
    assertEquals("SUCCEEDED", b.path("state").asText());
    assertEquals(2, b.path("taskCount").asInt());
  }

  private static void assertRejected(Runnable call, String expectedInMessage) {
    try {
      call.run();
    } catch (CliException e) {
      assertTrue(e.getMessage().contains("coordinator answered 4"), e.getMessage());
      assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
      return;
    }
    throw new AssertionError("accepted a bad request");
  }

  @Test
  void joblogRowKeepsExitvalAndSignalApart() {
    ObjectNode killed = Json.MAPPER.createObjectNode().put("seq", 3).put("host", "h").put("startedAtMs", 1500)
        .put("durationMs", 250).put("stdoutBytes", 12).put("signal", "KILL").put("cmd", "kill -KILL $$");
    assertEquals("3\th\t1.500\t0.250\t0\t12\t0\t9\tkill -KILL $$\n", BatchReport.joblogRow(killed));
    ObjectNode exited = killed.deepCopy().put("exitCode", 137);
    exited.remove("signal");
    assertEquals("3\th\t1.500\t0.250\t0\t12\t137\t0\tkill -KILL $$\n", BatchReport.joblogRow(exited));
    ObjectNode timedOut = killed.deepCopy().put("signal", "TERM").put("cause", "timeout");
    assertEquals("3\th\t1.500\t0.250\t0\t12\t-1\t15\tkill -KILL $$\n", BatchReport.joblogRow(timedOut),
        "stopped by the worker: Exitval -1, as GNU parallel writes for its --timeout");
  }
}
