package io.fleetrun.loadtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The load driver: keeps exactly {@code concurrency} tasks in flight (submitted, not yet
 * reported finished) until it has submitted its quota, then waits for the last of them.
 *
 * <p>Closed loop, like wrk's connections: a task is submitted only when one finished, so with a
 * worker cap equal to the concurrency no task waits in a queue, and submit-to-start measures the
 * path (HTTP, coordinator, Kafka, worker, spawn) rather than a backlog. Every refill is one batch
 * holding as many tasks as finished since the previous one, so at high rates one HTTP call
 * carries several tasks. A task's submit time is the driver's clock just before its batch's
 * POST; its start and end are the worker's clock (the same host in embedded mode).
 *
 * <p>Threading: one thread calls {@link #run}; the feed hands completions over. A task reported
 * twice (at-least-once delivery) counts once; completions of batches this loop did not submit
 * are ignored.
 */
public final class ClosedLoop {
  /** Called on the driver thread. */
  public interface Listener {
    /**
     * The first report of a task this loop submitted.
     *
     * @param seenAtMs when the driver received the report (the driver's clock)
     */
    void finished(Completion c, TaskRequest task, long submittedAtMs, long seenAtMs);

    /** A batch of {@code tasks} was accepted; the POST took {@code callMs} (its 202 waits for Kafka's acks). */
    default void submitted(int tasks, long callMs) {}
  }

  /**
   * What a run did.
   *
   * @param wallNanos from the first submit to the last completion received
   */
  public record Run(long submitted, long finished, long wallNanos) {
    public double tasksPerSecond() {
      return wallNanos <= 0 ? 0 : finished / (wallNanos / 1e9);
    }
  }

  private static final class InFlight {
    final long submittedAtMs;
    final List<TaskRequest> tasks;
    final boolean[] done;
    int remaining;

    InFlight(long submittedAtMs, List<TaskRequest> tasks) {
      this.submittedAtMs = submittedAtMs;
      this.tasks = tasks;
      this.done = new boolean[tasks.size()];
      this.remaining = tasks.size();
    }
  }

  private final Fleet fleet;
  private final String batchName;
  private final long stallMs;

  /**
   * @param batchName name of every batch submitted (shown by {@code fleetrun status})
   * @param stallMs a run fails when no task finished for this long (a dead worker, a lost result)
   */
  public ClosedLoop(Fleet fleet, String batchName, long stallMs) {
    this.fleet = fleet;
    this.batchName = batchName;
    this.stallMs = stallMs;
  }

  /**
   * Runs {@code count} tasks (or as many as start before {@code durationMs} passes, when it is
   * positive) with {@code concurrency} in flight, and waits for every one of them.
   *
   * @param next the task to submit as the {@code n}th of this run (0-based)
   * @throws IllegalStateException when nothing finished for {@code stallMs}
   */
  public Run run(int concurrency, long count, long durationMs, LongFunction<TaskRequest> next, Listener listener)
      throws InterruptedException {
    Map<String, InFlight> batches = new HashMap<>();
    long started = System.nanoTime();
    long deadline = durationMs > 0 ? started + durationMs * 1_000_000 : Long.MAX_VALUE;
    long submitted = 0;
    long finished = 0;
    long inFlight = 0;
    long lastProgress = started;
    long lastEnd = started;
    while (true) {
      boolean more = submitted < count && System.nanoTime() < deadline;
      int want = more ? (int) Math.min(concurrency - inFlight, count - submitted) : 0;
      if (want > 0) {
        List<TaskRequest> tasks = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
          tasks.add(next.apply(submitted + i));
        }
        long at = System.currentTimeMillis();
        batches.put(fleet.submit(batchName, tasks), new InFlight(at, tasks));
        listener.submitted(want, System.currentTimeMillis() - at);
        submitted += want;
        inFlight += want;
      }
      if (inFlight == 0 && !(submitted < count && System.nanoTime() < deadline)) {
        break;
      }
      for (Completion c : fleet.completions().poll(want > 0 ? 0 : 50)) {
        InFlight b = batches.get(c.batchId());
        int i = c.seq() - 1;
        if (b == null || i < 0 || i >= b.done.length || b.done[i]) {
          continue; // another client's batch, or a task run twice
        }
        b.done[i] = true;
        if (--b.remaining == 0) {
          batches.remove(c.batchId());
        }
        inFlight--;
        finished++;
        lastProgress = lastEnd = System.nanoTime();
        listener.finished(c, b.tasks.get(i), b.submittedAtMs, System.currentTimeMillis());
      }
      if (System.nanoTime() - lastProgress > stallMs * 1_000_000) {
        throw new IllegalStateException("no task finished for " + Units.duration(stallMs) + " with " + inFlight
            + " in flight (" + finished + " of " + submitted + " done): is the worker running and consuming?");
      }
    }
    return new Run(submitted, finished, lastEnd - started);
  }
}
