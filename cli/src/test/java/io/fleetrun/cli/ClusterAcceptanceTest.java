package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetrun.common.Json;
import io.fleetrun.common.testing.ChildProcesses;
import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Acceptance of the clustered fleet: a coordinator and two workers, each a JVM of its own started
 * as an operator would ({@code fleetrun coordinator ...}, {@code fleetrun worker ...}), on the
 * shared test broker, form one cluster on loopback; while a batch runs the coordinator's {@code GET
 * /v1/fleet} shows both workers with live figures that crossed the clustered event bus; a worker
 * killed with SIGKILL is logged as gone and shown DOWN within seconds, and the batch completes on
 * the other worker, the dead one's unacknowledged tasks running again there (at-least-once).
 * Every JVM is stopped and reaped at the end (the leak guard checks no child is left).
 */
@Timeout(240)
@ExtendWith(LeakGuard.class)
class ClusterAcceptanceTest {
  private static final Pattern LISTENING = Pattern.compile("coordinator listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Duration START = Duration.ofSeconds(90);
  private static final Path LOGS = Path.of("target", "cluster-test");
  private static final int TASKS = 20;
  private final List<FleetProcess> jvms = new ArrayList<>();

  @BeforeAll
  static void sharedResources() {
    TestKafka.bootstrap(); // the broker and the CLI's HTTP client live as long as this JVM
    new CoordinatorClient("http://127.0.0.1:1", null);
  }

  @AfterEach
  void stopEveryJvm() throws InterruptedException {
    for (FleetProcess p : jvms) {
      p.close();
    }
    for (FleetProcess p : jvms) {
      assertFalse(p.isAlive(), p + " still alive");
    }
  }

  @Test
  void threeJvmsFormOneClusterAndAWorkerKilledWithSigkillIsSeenGoneWhileTheBatchCompletesOnTheOther() throws Exception {
    String marker = "clusterit" + UUID.randomUUID().toString().substring(0, 8);
    int hazelcastPort = freePort();
    // a cluster of this test's own: other tests on this machine may run fleets on the default name
    List<String> clusterArgs = List.of("--cluster-name", marker, "--cluster-port", Integer.toString(hazelcastPort),
        "--cluster-members", "127.0.0.1:" + hazelcastPort);
    String bootstrap = TestKafka.bootstrap();
    FleetProcess coordinator = start("coordinator", clusterArgs, "coordinator", "--bootstrap", bootstrap, "--port", "0");
    coordinator.awaitLog(LISTENING, START); // first, so it holds the port the workers look for
    String w1 = marker + "-w1";
    String w2 = marker + "-w2";
    FleetProcess worker1 = startWorker(w1, bootstrap, clusterArgs);
    FleetProcess worker2 = startWorker(w2, bootstrap, clusterArgs);
    CoordinatorClient api = new CoordinatorClient(
        "http://127.0.0.1:" + coordinator.awaitLog(LISTENING, START).group(1), null);
    worker1.awaitLog(Pattern.compile("worker " + w1 + " running"), START);
    worker2.awaitLog(Pattern.compile("worker " + w2 + " running"), START);
    coordinator.awaitLog(Pattern.compile("joined cluster '" + marker + "' \\(3 members\\)"), START);

    String batchId = submit(api, marker);
    // both workers in the coordinator's fleet view, their numbers coming over the clustered bus
    JsonNode row1 = awaitWorker(api, w1, ClusterAcceptanceTest::running, Duration.ofSeconds(30));
    JsonNode row2 = awaitWorker(api, w2, ClusterAcceptanceTest::running, Duration.ofSeconds(30));
    assertEquals(List.of(w1, w2), workerIds(api.fleet()), "only this fleet's workers");
    for (JsonNode row : List.of(row1, row2)) {
      JsonNode t = row.path("sample");
      assertEquals("UP", row.path("state").asText(), row.toString());
      assertTrue(t.path("rssBytes").asLong() > 0 && t.path("threads").asInt() > 0 && t.path("openFds").asInt() > 0
          && t.path("cap").asInt() == 2 && t.path("assignedPartitions").asInt() > 0, "live numbers: " + row);
    }
    assertEquals(worker1.pid(), row1.path("sample").path("pid").asLong(), "w1's figures come from its own JVM");
    assertEquals(worker2.pid(), row2.path("sample").path("pid").asLong(), "w2's figures come from its own JVM");
    long started1 = row1.path("sample").path("started").asLong();
    awaitWorker(api, w1, r -> r.path("sample").path("started").asLong() > started1, Duration.ofSeconds(30));

    // kill w2 while a task it started moments ago still runs: that task must run again on w1
    JsonNode victim = awaitFreshTaskOn(api, batchId, w2, Duration.ofSeconds(30));
    worker2.kill();
    long killedAt = System.nanoTime();
    coordinator.awaitLog(Pattern.compile("member worker " + w2 + " at \\S+ left cluster '" + marker + "' \\(2 members\\)"),
        Duration.ofSeconds(10));
    long lossLoggedMs = (System.nanoTime() - killedAt) / 1_000_000;
    worker1.awaitLog(Pattern.compile("member worker " + w2 + " at \\S+ left cluster '" + marker + "'"), Duration.ofSeconds(10));
    JsonNode down = awaitWorker(api, w2, r -> r.path("state").asText().equals("DOWN"), Duration.ofSeconds(10));
    long downMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(down.path("suspectTaskIds").toString().contains(victim.path("taskId").asText()),
        "the task running on the dead worker is suspect: " + down);
    assertEquals("UP", awaitWorker(api, w1, r -> true, Duration.ofSeconds(5)).path("state").asText());

    JsonNode batch = awaitDone(api, batchId, Duration.ofSeconds(90));
    assertEquals("SUCCEEDED", batch.path("state").asText(), batch.toString());
    assertEquals(TASKS, batch.path("counts").path("SUCCEEDED").asInt(), batch.toString());
    assertTrue(batch.path("reruns").asInt() >= 1, "the killed worker's running task ran again: " + batch);
    JsonNode rerun = api.tasks(batchId, null, victim.path("seq").asInt() - 1, 1).path("items").get(0);
    assertEquals(victim.path("taskId").asText(), rerun.path("taskId").asText());
    assertEquals(w1, rerun.path("workerId").asText(), rerun.toString());
    assertTrue(rerun.path("runs").asInt() >= 2, rerun.toString());
    System.out.printf("cluster test: after SIGKILL of %s its loss was logged in %d ms, /v1/fleet showed it DOWN in %d ms%n",
        w2, lossLoggedMs, downMs);

    Duration w1Stop = worker1.stop();
    coordinator.awaitLog(Pattern.compile("member worker " + w1 + " at \\S+ left cluster"), Duration.ofSeconds(10));
    Duration coordinatorStop = coordinator.stop();
    System.out.printf("cluster test: SIGTERM to exit: worker %d ms, coordinator %d ms%n",
        w1Stop.toMillis(), coordinatorStop.toMillis());
    assertTrue(w1Stop.toSeconds() < 15 && coordinatorStop.toSeconds() < 15, "a stop leaves the cluster quickly");
    for (FleetProcess p : List.of(coordinator, worker1, worker2)) {
      assertFalse(Pattern.compile("^\\s+at ", Pattern.MULTILINE).matcher(p.log()).find(), "stack trace in " + p + ":\n" + p.log());
    }
    assertEquals(1, count(coordinator.log(), "member worker " + w2 + " at "), "the loss is logged once");
    awaitNoProcess(marker, Duration.ofSeconds(10)); // the dead worker's children end on their own
  }

  /** The fleet row of {@code workerId} once it satisfies {@code test}. */
  private static JsonNode awaitWorker(CoordinatorClient api, String workerId, Predicate<JsonNode> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      for (JsonNode row : api.fleet().path("workers")) {
        if (row.path("workerId").asText().equals(workerId)) {
          last = row;
          if (test.test(row)) {
            return row;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fleet row of " + workerId + " not as expected within " + timeout + "; last: " + last);
  }

  /**
   * A sample taken while the worker's children ran: counted, spawned and measured (a sample taken
   * the moment slots were taken may show children whose processes did not exist yet).
   */
  private static boolean running(JsonNode row) {
    JsonNode t = row.path("sample");
    return t.path("liveChildren").asInt() > 0 && t.path("started").asLong() > 0 && t.path("childrenRssBytes").asLong() > 0;
  }

  private static List<String> workerIds(JsonNode fleet) {
    List<String> ids = new ArrayList<>();
    fleet.path("workers").forEach(r -> ids.add(r.path("workerId").asText()));
    ids.sort(null);
    return ids;
  }

  private FleetProcess start(String name, List<String> clusterArgs, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(clusterArgs);
    FleetProcess p = FleetProcess.start(LOGS, name, all);
    jvms.add(p);
    return p;
  }

  private FleetProcess startWorker(String id, String bootstrap, List<String> clusterArgs) throws IOException {
    return start(id.substring(id.lastIndexOf('-') + 1), clusterArgs, "worker", "--bootstrap", bootstrap, "--worker-id", id,
        "--max-children", "2", "--min-free-memory", "0", "--metrics-port", "-1");
  }

  /** Tasks long enough that one started a moment before a kill is still running at it. */
  private static String submit(CoordinatorClient api, String marker) {
    ObjectNode b = Json.MAPPER.createObjectNode().put("name", marker);
    b.putObject("defaults").put("timeoutMs", 60_000).put("killGraceMs", 500);
    var tasks = b.putArray("tasks");
    for (int i = 0; i < TASKS; i++) {
      tasks.addObject().put("cmd", "sleep 1.5; echo " + marker + " " + i);
    }
    return api.submit(Json.write(b), true, java.util.Map.of()).path("batchId").asText();
  }

  /** A task RUNNING on {@code workerId} that started less than 600 ms ago (of a 1.5 s sleep). */
  private static JsonNode awaitFreshTaskOn(CoordinatorClient api, String batchId, String workerId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode t : api.tasks(batchId, "RUNNING", 0, TASKS).path("items")) {
        if (workerId.equals(t.path("workerId").asText())
            && System.currentTimeMillis() - t.path("startedAtMs").asLong() < 600) {
          return t;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no task started on " + workerId + " within " + timeout);
  }

  private static JsonNode awaitDone(CoordinatorClient api, String batchId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode b = api.batch(batchId);
    while (System.nanoTime() < deadline) {
      b = api.batch(batchId);
      if (b.path("done").asInt() == b.path("taskCount").asInt() && b.path("taskCount").asInt() > 0) {
        return b;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("batch did not finish within " + timeout + ": " + b);
  }

  private static void awaitNoProcess(String fragment, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ChildProcesses.withCommandLine(fragment).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("processes left: " + ChildProcesses.withCommandLine(fragment));
      }
      Thread.sleep(100);
    }
  }

  private static long count(String text, String fragment) {
    return Stream.of(text.split("\n")).filter(l -> l.contains(fragment) && l.contains(" left cluster")).count();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
