package io.fleetrun.coordinator;

import static io.fleetrun.coordinator.TelemetrySamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Json;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.coordinator.FleetReport.BatchRow;
import io.fleetrun.coordinator.FleetReport.WorkerRow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet table's rules over a fake clock: staleness, restarts, rates, ETA, forgetting. */
class FleetViewTest {
  private static final FleetSettings SETTINGS = new FleetSettings(1_000, 3, 60_000, 10_000, 5_000, 5);
  private long now = 1_000_000;
  private final List<String> events = new ArrayList<>();
  private final FleetView view = new FleetView(SETTINGS, () -> now, new FleetView.Listener() {
    @Override
    public void added(WorkerState worker) {
      events.add("added " + worker.workerId);
    }

    @Override
    public void forgotten(String workerId) {
      events.add("forgotten " + workerId);
    }
  });
  private final Projection projection = new Projection(1_000_000, () -> now);

  private FleetReport tick() {
    return view.tick(projection.fleetSnapshot(50, 10, 0), null);
  }

  private static WorkerRow row(FleetReport r, String id) {
    return r.workers().stream().filter(w -> w.workerId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void workerSilentForMoreThanThreeIntervalsIsDownAndItsRunningTasksAreSuspect() {
    projection.applyAccepted(new ResultEvent.BatchAccepted(1, "b1", "n", 3, now));
    projection.applyStarted(new ResultEvent.TaskStarted(1, "b1", "b1.1", 1, 1, "w1", "h", now));
    projection.applyStarted(new ResultEvent.TaskStarted(1, "b1", "b1.2", 2, 1, "w1", "h", now));
    projection.applyStarted(new ResultEvent.TaskStarted(1, "b1", "b1.3", 3, 1, "w2", "h", now));
    long start = now;
    for (int i = 0; i <= 3; i++) {
      view.accept(sample("w1", start, now, 0, 2));
      view.accept(sample("w2", start, now, 0, 1));
      now += 1_000;
    }
    now -= 1_000;
    FleetReport r = tick();
    assertEquals("UP", row(r, "w1").state());
    assertEquals(2, row(r, "w1").runningTasks());
    assertEquals(List.of(), row(r, "w1").suspectTaskIds());

    // w1 goes quiet: still UP at exactly three intervals, DOWN just past them
    for (int i = 0; i < 3; i++) {
      now += 1_000;
      view.accept(sample("w2", start, now, 0, 1));
    }
    assertEquals("UP", row(tick(), "w1").state());
    now += 1;
    view.accept(sample("w2", start, now, 0, 1));
    r = tick();
    WorkerRow w1 = row(r, "w1");
    assertEquals("DOWN", w1.state());
    assertEquals(3_001, w1.ageMs());
    assertEquals(List.of("b1.1", "b1.2"), w1.suspectTaskIds());
    assertEquals("UP", row(r, "w2").state());
    assertEquals(2, r.totals().suspectTasks());
    assertEquals(3, r.totals().runningTasks());
    assertEquals(1, r.totals().up());
    assertEquals(1, r.totals().down());
    assertEquals(1, r.totals().liveChildren(), "a DOWN worker's last sample is not counted");
    assertEquals(2, r.batches().get(0).suspect());

    // it speaks again: UP, nothing suspect
    view.accept(sample("w1", start, now, 0, 2));
    r = tick();
    assertEquals("UP", row(r, "w1").state());
    assertEquals(0, r.totals().suspectTasks());
  }

  @Test
  void aLaterStartedAtIsARestartAndLateSamplesOfTheOldRunAreIgnored() {
    assertEquals(FleetView.Change.NEW, view.accept(sample("w1", 500, now, 10, 1)));
    now += 1_000;
    assertEquals(FleetView.Change.UPDATE, view.accept(sample("w1", 500, now, 20, 1)));
    assertEquals(FleetView.Change.IGNORED, view.accept(sample("w1", 500, now - 500, 15, 1)), "out of order");
    now += 1_000;
    assertEquals(FleetView.Change.RESTART, view.accept(sample("w1", now - 100, now, 0, 0)));
    assertEquals(FleetView.Change.IGNORED, view.accept(sample("w1", 500, now, 30, 1)), "the old run");
    now += 1_000;
    view.accept(sample("w1", now - 1_100, now, 5, 0));
    WorkerRow w = row(tick(), "w1");
    assertEquals(1, w.restarts());
    assertEquals(5, w.sample().finished(Outcome.SUCCEEDED));
    assertEquals(5.0, w.tasksPerSecond(), 1e-9, "rate restarts with the counters: 5 results in 1 s");
    assertEquals(List.of("added w1"), events, "a restart is the same worker, not a new one");
  }

  @Test
  void batchRateIsOverTheRecentWindowAndEtaIsTheRemainderAtThatRate() {
    long start = now;
    projection.applyAccepted(new ResultEvent.BatchAccepted(1, "b2", "n", 100, now));
    projection.applyStarted(new ResultEvent.TaskStarted(1, "b2", "b2.1", 1, 1, "w1", "h", now));
    BatchRow first = tick().batches().get(0);
    assertEquals(0, first.tasksPerSecond(), 1e-9);
    assertNull(first.etaMs(), "no rate yet, no ETA");
    int seq = 0;
    BatchRow slow = null;
    BatchRow mixed = null;
    // 2 tasks a second for 20 s, then 8 a second: the 10 s window follows the change
    for (int s = 0; seq < 100; s++) {
      now += 1_000;
      int n = s < 20 ? 2 : 8;
      for (int i = 0; i < n && seq < 100; i++) {
        seq++;
        Outcome o = seq % 10 == 0 ? Outcome.FAILED : Outcome.SUCCEEDED;
        projection.applyFinished(ProjectionTest.finished("b2", seq, 1, o, 0, now - 500, now), 0, seq);
      }
      BatchRow b = tick().batches().get(0);
      if (s == 19) {
        slow = b;
      } else if (s == 26) {
        mixed = b;
      }
    }
    assertEquals(2.0, slow.tasksPerSecond(), 1e-9);
    assertEquals(30_000L, slow.etaMs(), "60 left at 2/s");
    assertEquals(40, slow.done());
    assertEquals(4, slow.failed());
    assertEquals(6.2, mixed.tasksPerSecond(), 1e-9, "3 s at 2/s and 7 s at 8/s");
    assertEquals(Math.round(4 / 6.2 * 1000), mixed.etaMs());
    BatchRow done = tick().batches().get(0);
    assertEquals(100, done.done());
    assertEquals("FAILED", done.state());
    assertEquals(0L, done.etaMs(), "finished: no time left");
    assertEquals(10, done.failed());
    assertEquals(90, done.succeeded());
    // finished: the average over the whole run, first start to last end
    assertEquals(100 * 1000.0 / (now - start), done.tasksPerSecond(), 0.001);
  }

  @Test
  void etaOfARunningBatchIsRemainingTasksOverTheWindowRate() {
    projection.applyAccepted(new ResultEvent.BatchAccepted(1, "b3", "n", 1000, now));
    projection.applyStarted(new ResultEvent.TaskStarted(1, "b3", "b3.1", 1, 1, "w1", "h", now));
    for (int s = 1; s <= 15; s++) {
      tick();
      now += 1_000;
      for (int i = 0; i < 4; i++) {
        int seq = (s - 1) * 4 + i + 1;
        projection.applyFinished(ProjectionTest.finished("b3", seq, 1, Outcome.SUCCEEDED, 0, now - 10, now), 0, seq);
      }
    }
    BatchRow b = tick().batches().get(0);
    assertEquals(60, b.done());
    assertEquals(4.0, b.tasksPerSecond(), 1e-9);
    assertEquals(Math.round(940 / 4.0 * 1000), b.etaMs());
    assertEquals(4.0, tick().totals().tasksPerSecond(), 1e-9, "fleet rate: same finishes");
  }

  @Test
  void aWorkerDownLongerThanForgetAfterLeavesTheTableAndHistoryIsBounded() {
    view.accept(sample("w1", 1, now, 0, 0));
    tick();
    now += 4_000;
    assertEquals("DOWN", row(tick(), "w1").state());
    now += 60_000;
    assertEquals(1, tick().workers().size(), "not yet");
    now += 1;
    assertEquals(0, tick().workers().size());
    assertEquals(List.of("added w1", "forgotten w1"), events);
    tick();
    tick();
    assertEquals(5, view.history().points().size(), "history keeps historyPoints");
  }

  @Test
  void telemetryDecodesFromJsonObjectTextAndBytesAndJunkIsRefusedWithAReason() {
    WorkerTelemetry t = sample("w9", 1, 2, 3, 4);
    byte[] bytes = Json.write(t);
    assertEquals(t, FleetVerticle.decode(new JsonObject(Buffer.buffer(bytes))));
    assertEquals(t, FleetVerticle.decode(new String(bytes, StandardCharsets.UTF_8)));
    assertEquals(t, FleetVerticle.decode(Buffer.buffer(bytes)));
    JsonObject newer = new JsonObject(Buffer.buffer(bytes)).put("someFutureField", Map.of("x", 1));
    assertEquals(t, FleetVerticle.decode(newer), "unknown fields are tolerated");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetVerticle.decode(42))
        .getMessage().contains("Integer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetVerticle.decode("{\"v\":1}"))
        .getMessage().contains("workerId"));
    assertThrows(IllegalArgumentException.class, () -> FleetVerticle.decode("not json"));
  }

  @Test
  void rateWindowAnchorsOneSampleBeforeTheWindowAndNeedsASecond() {
    RateWindow w = new RateWindow(10_000);
    w.add(0, 0);
    assertTrue(Double.isNaN(w.perSecond()));
    w.add(500, 5);
    assertTrue(Double.isNaN(w.perSecond()), "half a second is too short");
    for (long t = 1_000; t <= 30_000; t += 1_000) {
      w.add(t, t / 100);
    }
    assertEquals(10.0, w.perSecond(), 1e-9);
    w.reset();
    assertTrue(Double.isNaN(w.perSecond()));
  }
}
