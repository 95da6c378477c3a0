package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.common.wire.TaskSpec;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker test against the shared real broker: a Vert.x per test (closed after it, which stops
 * the worker and its children), then no task tree, no zombie and nothing the {@link LeakGuard}
 * sees may be left.
 */
@ExtendWith(LeakGuard.class)
@Timeout(120)
abstract class WorkerTestBase {
  static String bootstrap;
  Vertx vertx;

  @BeforeAll
  static void broker() {
    bootstrap = TestKafka.bootstrap(); // before the leak guard's first snapshot: shared by the JVM
  }

  @BeforeEach
  void openVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertxAndCheckNothingLeft() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
    assertEquals(0, ChildProcesses.liveTaskRoots(), "a task tree outlived its worker");
    assertEquals(0, ChildProcesses.zombies(), "zombie children of the test JVM");
  }

  void deployWorker(int cap) throws Exception {
    WorkerConfig cfg = WorkerConfig.defaults(bootstrap).withMaxChildren(cap).withWorkerId("test-" + System.nanoTime());
    vertx.deployVerticle(new WorkerVerticle(cfg)).await(60, TimeUnit.SECONDS);
  }

  static TaskSpec task(String batch, int seq, String cmd, long timeoutMs) {
    return new TaskSpec(TaskSpec.VERSION, batch, batch + "." + seq, seq, 1, cmd, null, Map.of(), null,
        timeoutMs, 500, 4096, null, null, System.currentTimeMillis());
  }

  /** Sends each value to {@code topic} under its key and waits for the broker's acknowledgement. */
  static void send(String topic, Map<String, ?> byKey) throws Exception {
    try (KafkaProducer<String, byte[]> p = TestKafka.producer("test")) {
      for (Map.Entry<String, ?> e : byKey.entrySet()) {
        p.send(new ProducerRecord<>(topic, e.getKey(), Json.write(e.getValue()))).get(30, TimeUnit.SECONDS);
      }
    }
  }

  static void publish(Iterable<TaskSpec> specs) throws Exception {
    Map<String, TaskSpec> byKey = new java.util.LinkedHashMap<>();
    specs.forEach(s -> byKey.put(s.taskId(), s));
    send(Topics.TASKS, byKey);
  }
}
