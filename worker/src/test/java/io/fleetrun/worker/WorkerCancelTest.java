package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancels through the control topic, against a real broker and real children. */
class WorkerCancelTest extends WorkerTestBase {
  @AfterEach
  void noSleeperLeft() {
    assertEquals(List.of(), ChildProcesses.withCommandLine("sleep 734"));
  }

  private static List<TaskSpec> sleepers(String batch, int n) {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      specs.add(new TaskSpec(TaskSpec.VERSION, batch, batch + "." + i, i, 1, "sleep 734", null, Map.of(), null,
          60_000, 2_000, 4096, null, null, System.currentTimeMillis()));
    }
    return specs;
  }

  private static void send(String topic, String key, Object value) throws Exception {
    send(topic, Map.of(key, value));
  }

  private static List<TaskFinished> finished(List<ResultEvent> events) {
    return events.stream().filter(e -> e instanceof TaskFinished).map(e -> (TaskFinished) e).toList();
  }

  @Test
  void cancellingABatchStopsItsRunningChildrenAndReportsQueuedTasksWithoutSpawningThem() throws Exception {
    deployWorker(2);
    String batch = "bcancel" + System.nanoTime();
    for (TaskSpec s : sleepers(batch, 5)) {
      send(Topics.TASKS, s.taskId(), s);
    }
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      reader.until(ev -> ev.stream().filter(e -> e instanceof ResultEvent.TaskStarted).count() >= 2, Duration.ofSeconds(30));
      long cancelledAt = System.currentTimeMillis();
      ControlMessage cancel = ControlMessage.cancelBatch(batch, cancelledAt);
      send(Topics.CONTROL, cancel.key(), cancel);
      List<TaskFinished> done = finished(reader.until(ev -> ResultsReader.finishedCount(ev) >= 5, Duration.ofSeconds(30)));
      assertEquals(5, done.size());
      assertTrue(done.stream().allMatch(f -> f.result().outcome() == Outcome.CANCELLED), done.toString());
      assertTrue(done.stream().allMatch(f -> "cancel".equals(f.result().cause())));
      List<TaskFinished> stopped = done.stream().filter(f -> f.result().error() == null).toList();
      assertEquals(2, stopped.size(), "the two running children were stopped: " + done);
      assertTrue(stopped.stream().allMatch(f -> "TERM".equals(f.result().signal())), stopped.toString());
      long slowest = stopped.stream().mapToLong(f -> f.result().endedAtMs() - cancelledAt).max().orElseThrow();
      assertTrue(slowest < 5_000, "stopped promptly: " + slowest + " ms");
      done.stream().filter(f -> f.result().error() != null).forEach(f -> {
        assertEquals("cancelled before this run started", f.result().error());
        assertNull(f.result().exitCode());
      });
    }
  }

  @Test
  void aWorkerThatStartsAfterTheCancelStillHonoursIt() throws Exception {
    String batch = "bcancellate" + System.nanoTime();
    ControlMessage cancel = ControlMessage.cancelTask(batch, batch + ".2", System.currentTimeMillis());
    send(Topics.CONTROL, cancel.key(), cancel);
    List<TaskSpec> specs = new ArrayList<>();
    specs.add(new TaskSpec(TaskSpec.VERSION, batch, batch + ".1", 1, 1, "echo kept", null, Map.of(), null,
        60_000, 2_000, 4096, null, null, 0));
    specs.add(sleepers(batch, 2).get(1));
    for (TaskSpec s : specs) {
      send(Topics.TASKS, s.taskId(), s);
    }
    deployWorker(2);
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      List<TaskFinished> done = finished(reader.until(ev -> ResultsReader.finishedCount(ev) >= 2, Duration.ofSeconds(30)));
      Map<String, Outcome> byTask = new HashMap<>();
      done.forEach(f -> byTask.put(f.taskId(), f.result().outcome()));
      assertEquals(Map.of(batch + ".1", Outcome.SUCCEEDED, batch + ".2", Outcome.CANCELLED), byTask);
    }
  }
}
