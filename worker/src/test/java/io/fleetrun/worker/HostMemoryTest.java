package io.fleetrun.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.ResultsReader;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The host free-memory pause; the memory reading is faked, the worker, broker and children are real. */
class HostMemoryTest extends WorkerTestBase {
  private static final long MIN = 256L << 20;

  @Test
  void aShortHostTakesNoNewTaskUntilMemoryIsBackAboveTheMarginAndNeverFlapsAtTheLine() {
    HostMemory m = new HostMemory(MIN);
    assertFalse(m.update(MIN));
    assertTrue(m.update(MIN - 1), "below the minimum: short");
    assertFalse(m.update(MIN + MIN / 20), "back above the minimum but within the margin: still short");
    assertTrue(m.isShort());
    assertTrue(m.update(MIN + MIN / 10), "above the minimum plus a tenth: taking tasks again");
    assertFalse(m.isShort());
  }

  @Test
  void aWorkerShortOfHostMemoryStartsNothingAndResumesWhenMemoryReturns() throws Exception {
    AtomicLong available = new AtomicLong(MIN / 2);
    WorkerConfig cfg = WorkerConfig.defaults(bootstrap).withMaxChildren(2).withWorkerId("mem-" + System.nanoTime());
    vertx.deployVerticle(new WorkerVerticle(cfg, available::get)).await(60, TimeUnit.SECONDS);
    String batch = "bmem" + System.nanoTime();
    publish(List.<TaskSpec>of(task(batch, 1, "echo one", 10_000), task(batch, 2, "echo two", 10_000)));
    try (ResultsReader reader = new ResultsReader(bootstrap, batch)) {
      // several checks (every 500 ms) while short: not one STARTED or FINISHED may appear
      List<ResultEvent> none = reader.readFor(Duration.ofMillis(2_500));
      assertEquals(List.of(), none, "no task may start while the host is short of memory");
      available.set(MIN * 4);
      List<ResultEvent> done = reader.until(ev -> ResultsReader.finishedCount(ev) >= 2, Duration.ofSeconds(30));
      assertEquals(2, ResultsReader.finishedCount(done));
    }
  }
}
