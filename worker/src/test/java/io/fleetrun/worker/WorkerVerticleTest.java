package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Topics;
import io.fleetrun.common.kafka.KafkaClients;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The worker against a real broker and real child processes. */
class WorkerVerticleTest extends WorkerTestBase {
  @Test
  void runsEveryTaskAndReportsEachExactlyOnceWithItsOutcome() throws Exception {
    deployWorker(4);
    String batch = "bw" + System.nanoTime();
    List<TaskSpec> specs = new java.util.ArrayList<>();
    for (int i = 1; i <= 24; i++) {
      String cmd = switch (i % 4) {
        case 0 -> "echo ok-" + i;
        case 1 -> "exit 3";
        case 2 -> "kill -KILL $$";
        default -> "sleep 731";
      };
      specs.add(task(batch, i, cmd, i % 4 == 3 ? 300 : 30_000));
    }
    publish(specs);
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      List<ResultEvent> events = reader.until(ev -> ResultsReader.finishedCount(ev) >= 24, Duration.ofSeconds(60));
      Map<String, List<TaskFinished>> bySeq = events.stream().filter(e -> e instanceof TaskFinished)
          .map(e -> (TaskFinished) e).collect(Collectors.groupingBy(TaskFinished::taskId));
      assertEquals(24, bySeq.size());
      for (TaskSpec s : specs) {
        List<TaskFinished> f = bySeq.get(s.taskId());
        assertEquals(1, f.size(), "exactly one result for " + s.taskId());
        var r = f.get(0).result();
        switch (s.seq() % 4) {
          case 0 -> {
            assertEquals(Outcome.SUCCEEDED, r.outcome());
            assertEquals("ok-" + s.seq() + "\n", r.stdout().head());
          }
          case 1 -> {
            assertEquals(Outcome.FAILED, r.outcome());
            assertEquals(3, r.exitCode());
            assertNull(r.signal());
          }
          case 2 -> {
            assertEquals(Outcome.FAILED, r.outcome());
            assertNull(r.exitCode());
            assertEquals("KILL", r.signal());
            assertNull(r.cause());
          }
          default -> assertEquals(Outcome.TIMED_OUT, r.outcome());
        }
      }
      // STARTED only for tasks still running after StartReports.DELAY_MS: every sleeper, once
      Map<String, Long> started = events.stream().filter(e -> e instanceof ResultEvent.TaskStarted)
          .collect(Collectors.groupingBy(e -> ((ResultEvent.TaskStarted) e).taskId(), Collectors.counting()));
      for (TaskSpec s : specs) {
        if (s.seq() % 4 == 3) {
          assertEquals(1L, started.get(s.taskId()), "one STARTED event for " + s.taskId());
        }
      }
      assertTrue(started.values().stream().allMatch(n -> n == 1), "never two STARTED for one task: " + started);
    }
    assertOffsetsCommittedToEnd();
  }

  private void assertOffsetsCommittedToEnd() throws Exception {
    try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
      Set<TopicPartition> parts = admin.describeTopics(List.of(Topics.TASKS)).allTopicNames().get()
          .get(Topics.TASKS).partitions().stream().map(p -> new TopicPartition(Topics.TASKS, p.partition()))
          .collect(Collectors.toSet());
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
          parts.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(Topics.WORKER_GROUP).partitionsToOffsetAndMetadata().get();
        boolean all = ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset()));
        if (all) {
          return;
        }
        assertTrue(System.nanoTime() < deadline, "offsets not committed to the end: " + committed + " vs " + ends);
        Thread.sleep(100);
      }
    }
  }

  @Test
  void neverRunsMoreChildrenThanTheCap() throws Exception {
    deployWorker(2);
    String batch = "bc" + System.nanoTime();
    List<TaskSpec> specs = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      specs.add(task(batch, i, "sleep 0.3", 30_000));
    }
    AtomicLong max = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        max.accumulateAndGet(ChildProcesses.liveTaskRoots(), Math::max);
      }
    });
    sampler.start();
    publish(specs);
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      List<ResultEvent> events = reader.until(ev -> ResultsReader.finishedCount(ev) >= 20, Duration.ofSeconds(60));
      assertTrue(events.stream().filter(e -> e instanceof TaskFinished)
          .allMatch(e -> ((TaskFinished) e).result().outcome() == Outcome.SUCCEEDED));
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertEquals(2, max.get(), "live task trees seen in /proc (cap 2, and both slots used)");
  }

  @Test
  void startsWaitingTasksOfABatchInInputOrder() throws Exception {
    String batch = "bo" + System.nanoTime();
    long submittedAt = System.currentTimeMillis();
    List<TaskSpec> specs = new java.util.ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      // as the coordinator does it: one submit time for the whole batch
      specs.add(new TaskSpec(TaskSpec.VERSION, batch, batch + "." + i, i, 1, "sleep 0.1", null, Map.of(), null,
          30_000, 500, 4096, null, null, submittedAt));
    }
    publish(specs); // spread over the partitions by task id, all there before the worker looks
    deployWorker(1);
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      List<ResultEvent> events = reader.until(ev -> ResultsReader.finishedCount(ev) >= 16, Duration.ofSeconds(60));
      List<Integer> byStart = events.stream().filter(e -> e instanceof TaskFinished).map(e -> (TaskFinished) e)
          .sorted(java.util.Comparator.comparingLong(f -> f.result().startedAtMs()))
          .map(TaskFinished::seq).toList();
      assertEquals(16, byStart.size(), byStart.toString());
      // the first starts as its record arrives; every later one is the lowest seq still waiting
      List<Integer> rest = byStart.subList(1, byStart.size());
      assertEquals(rest.stream().sorted().toList(), rest, "seqs in start order: " + byStart);
    }
  }

  @Test
  void refusesACapAtOrAboveTheThreshold() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new WorkerConfig(bootstrap, "w", "h", 23, 23, 0, -1, null, 0).validate());
    assertTrue(e.getMessage().startsWith("max-children: 23 is not below the threshold 23"), e.getMessage());
  }
}
