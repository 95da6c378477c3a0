package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskSpec;
import io.fleetrun.worker.process.CgroupFaults;
import io.fleetrun.worker.process.Containment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker whose host cannot spawn (its cgroup directories are gone) leaves the group instead of
 * failing tasks, and comes back once a probe spawn works; a task's own spawn failure never
 * counts against the host.
 */
class WorkerHealthTest extends WorkerTestBase {

  private WorkerVerticle deploy(int unhealthyAfter) throws Exception {
    WorkerConfig cfg = WorkerConfig.defaults(bootstrap).withMaxChildren(2).withWorkerId("health-" + System.nanoTime())
        .withContainment(Containment.CGROUP, unhealthyAfter);
    WorkerVerticle worker = new WorkerVerticle(cfg);
    vertx.deployVerticle(worker).await(60, TimeUnit.SECONDS);
    return worker;
  }

  /** The distinct outcomes of the FINISHED events. */
  private static List<Outcome> outcomes(List<ResultEvent> events) {
    return events.stream().filter(e -> e instanceof ResultEvent.TaskFinished)
        .map(e -> ((ResultEvent.TaskFinished) e).result().outcome()).distinct().toList();
  }

  @Test
  void hostSpawnFailuresMakeTheWorkerLeaveAndAWorkingProbeBringsItBack() throws Exception {
    assumeTrue(CgroupFaults.available(), "needs cgroups to break spawning for real");
    WorkerVerticle worker = deploy(3);
    List<Path> removed = CgroupFaults.removeBases();
    assertFalse(removed.isEmpty(), "the worker's cgroup base was found");
    String batch = "bhealth" + System.nanoTime();
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      tasks.add(task(batch, i, "echo ok" + i, 10_000));
    }
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      publish(tasks);
      long end = System.currentTimeMillis() + 20_000;
      while (!worker.unhealthy() && System.currentTimeMillis() < end) {
        Thread.sleep(50);
      }
      assertTrue(worker.unhealthy(), "three host spawn failures in a row make the worker unhealthy");
      assertEquals(List.of(), reader.readFor(Duration.ofMillis(1_500)), "no task is reported failed for the host's fault");

      CgroupFaults.restore(removed);
      List<ResultEvent> done = reader.until(ev -> ResultsReader.finishedCount(ev) >= 4, Duration.ofSeconds(60));
      assertEquals(4, ResultsReader.finishedCount(done), done.toString());
      assertEquals(List.of(Outcome.SUCCEEDED), outcomes(done), done.toString());
      assertFalse(worker.unhealthy(), "healthy again after the probe");
    } finally {
      CgroupFaults.restore(removed);
    }
  }

  @Test
  void aTasksOwnSpawnFailureIsReportedAndNeverMakesTheWorkerUnhealthy() throws Exception {
    assumeTrue(CgroupFaults.available(), "uses the cgroup backend");
    WorkerVerticle worker = deploy(2);
    String batch = "bbadcwd" + System.nanoTime();
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      TaskSpec t = task(batch, i, "true", 10_000);
      tasks.add(new TaskSpec(t.v(), t.batchId(), t.taskId(), t.seq(), t.attempt(), t.cmd(), t.argv(), t.env(),
          "/nonexistent/dir", t.timeoutMs(), t.killGraceMs(), t.outputLimitBytes(), null, null, t.submittedAtMs()));
    }
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      publish(tasks);
      List<ResultEvent> done = reader.until(ev -> ResultsReader.finishedCount(ev) >= 5, Duration.ofSeconds(30));
      assertEquals(5, ResultsReader.finishedCount(done));
      assertEquals(List.of(Outcome.SPAWN_FAILED), outcomes(done), done.toString());
    }
    assertFalse(worker.unhealthy(), "a bad cwd is the task's fault, not the host's");
  }
}
