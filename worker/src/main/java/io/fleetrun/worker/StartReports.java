package io.fleetrun.worker;

import io.fleetrun.common.wire.TaskSpec;
import io.vertx.core.Vertx;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a task's STARTED event only once the task has run {@value #DELAY_MS} ms. A shorter task
 * is reported by its FINISHED event alone, which carries its start time: for the short commands
 * most batches are made of this halves the records per task on the results topic, and with them
 * the worker's, the broker's and the coordinator's work. What it costs: a task shows RUNNING
 * {@value #DELAY_MS} ms late, and a task shorter than that which a dead worker ran before it could
 * report is not known to have run (its rerun shows {@code runs: 1}).
 *
 * <p>Confined to the worker verticle's context. One periodic check runs while tasks wait.
 */
final class StartReports {
  static final long DELAY_MS = 50;
  private static final long CHECK_MS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(StartReports.class);

  private record Waiting(TaskSpec spec, long startedAtMs, long dueNanos) {}

  private final Vertx vertx;
  private final ResultPublisher results;
  /** In start order, so the due ones are at the head. */
  private final Map<String, Waiting> waiting = new LinkedHashMap<>();
  private long timer = -1;

  StartReports(Vertx vertx, ResultPublisher results) {
    this.vertx = vertx;
    this.results = results;
  }

  /** The task's child runs since {@code startedAtMs}. */
  void started(TaskSpec spec, long startedAtMs) {
    waiting.put(spec.taskId(), new Waiting(spec, startedAtMs, System.nanoTime() + DELAY_MS * 1_000_000));
    if (timer < 0) {
      timer = vertx.setPeriodic(CHECK_MS, id -> sendDue());
    }
  }

  /** The task ended: its FINISHED event says when it started. */
  void ended(TaskSpec spec) {
    waiting.remove(spec.taskId());
  }

  private void sendDue() {
    long now = System.nanoTime();
    for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (now - w.dueNanos() < 0) {
        break;
      }
      it.remove();
      results.started(w.spec(), w.startedAtMs())
          .onFailure(e -> LOG.warn("STARTED event of {} not sent: {}", w.spec().taskId(), e.toString()));
    }
    if (waiting.isEmpty()) {
      close();
    }
  }

  /** Stops the check; tasks still waiting are not reported as started. */
  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
