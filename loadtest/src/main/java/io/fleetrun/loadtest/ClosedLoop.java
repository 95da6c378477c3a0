package io.fleetrun.loadtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * The load driver: keeps exactly {@code concurrency} tasks in flight (submitted, not yet
 * reported finished) until it has submitted its quota, then waits for the last of them.
 *
 * <p>Closed loop, like wrk's connections: a task is submitted only when one finished, so with a
 * worker cap equal to the concurrency no task waits in a queue, and submit-to-start measures the
 * path (HTTP, coordinator, Kafka, worker, spawn) rather than a backlog. Every refill is one batch
 * holding as many tasks as finished since the previous one, so at high rates one HTTP call
 * carries several tasks; up to {@value #MAX_POSTS} POSTs are in flight at once, so a refill never
 * waits for the previous answer (the coordinator answers only once Kafka acknowledged the batch).
 * A task's submit time is the driver's clock just before its batch's POST; its start and end are
 * the worker's clock (the same host in embedded mode).
 *
 * <p>Threading: one thread calls {@link #run}; POSTs run on {@value #MAX_POSTS} threads of this
 * loop (stopped by {@link #close}); the feed hands completions over. A task reported
 * twice (at-least-once delivery) counts once; completions of batches this loop did not submit
 * are ignored.
 */
public final class ClosedLoop implements AutoCloseable {
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

  /** A POST in progress. */
  private record Post(CompletableFuture<String> batchId, long atMs, List<TaskRequest> tasks) {}

  /** POSTs in flight at once: one more than a strict alternation, so a refill never waits for an answer. */
  static final int MAX_POSTS = 2;
  private final Fleet fleet;
  private final String batchName;
  private final long stallMs;
  private final ExecutorService posters;

  /**
   * @param batchName name of every batch submitted (shown by {@code fleetrun status})
   * @param stallMs a run fails when no task finished for this long (a dead worker, a lost result)
   */
  public ClosedLoop(Fleet fleet, String batchName, long stallMs) {
    this.fleet = fleet;
    this.batchName = batchName;
    this.stallMs = stallMs;
    AtomicInteger n = new AtomicInteger();
    this.posters = Executors.newFixedThreadPool(MAX_POSTS, r -> {
      Thread t = new Thread(r, "loadtest-submit-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code count} tasks (or as many as start before {@code durationMs} passes, when it is
   * positive) with {@code concurrency} in flight, and waits for every one of them.
   *
   * @param next the task to submit as the {@code n}th of this run (0-based)
   * @throws IllegalStateException when nothing finished for {@code stallMs}
   * @throws RuntimeException what a submit threw (e.g. the coordinator refused the batch)
   */
  public Run run(int concurrency, long count, long durationMs, LongFunction<TaskRequest> next, Listener listener)
      throws InterruptedException {
    State st = new State(listener);
    long started = System.nanoTime();
    long deadline = durationMs > 0 ? started + durationMs * 1_000_000 : Long.MAX_VALUE;
    st.lastProgress = st.lastEnd = started;
    while (true) {
      st.harvestPosts();
      boolean more = st.submitted < count && System.nanoTime() < deadline;
      int want = more ? (int) Math.min(concurrency - st.inFlight, count - st.submitted) : 0;
      if (want > 0 && st.posts.size() < MAX_POSTS) {
        List<TaskRequest> tasks = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
          tasks.add(next.apply(st.submitted + i));
        }
        long at = System.currentTimeMillis();
        st.posts.add(new Post(CompletableFuture.supplyAsync(() -> fleet.submit(batchName, tasks), posters), at, tasks));
        st.submitted += want;
        st.inFlight += want;
      }
      if (st.inFlight == 0 && !more) {
        break;
      }
      // a pending POST is looked at again soon: its answer frees a slot and claims early results
      for (Completion c : fleet.completions().poll(st.posts.isEmpty() ? 50 : 2)) {
        st.accept(c);
      }
      if (System.nanoTime() - st.lastProgress > stallMs * 1_000_000) {
        throw new IllegalStateException("no task finished for " + Units.duration(stallMs) + " with " + st.inFlight
            + " in flight (" + st.finished + " of " + st.submitted + " done): is the worker running and consuming?");
      }
    }
    return new Run(st.submitted, st.finished, st.lastEnd - started);
  }

  /** One run's bookkeeping; touched by the driver thread only. */
  private static final class State {
    final Listener listener;
    final Map<String, InFlight> batches = new HashMap<>();
    final List<Post> posts = new ArrayList<>();
    /** Results of batches not known yet: a task can end before its POST is answered. */
    final Map<String, List<Completion>> early = new HashMap<>();
    long submitted;
    long finished;
    long inFlight;
    long lastProgress;
    long lastEnd;

    State(Listener listener) {
      this.listener = listener;
    }

    void harvestPosts() {
      for (Iterator<Post> it = posts.iterator(); it.hasNext(); ) {
        Post p = it.next();
        if (!p.batchId().isDone()) {
          continue;
        }
        it.remove();
        String id = join(p.batchId());
        listener.submitted(p.tasks().size(), System.currentTimeMillis() - p.atMs());
        batches.put(id, new InFlight(p.atMs(), p.tasks()));
        for (Completion c : early.getOrDefault(id, List.of())) {
          accept(c);
        }
        early.remove(id);
      }
      if (posts.isEmpty()) {
        early.clear(); // every batch of ours is known: the rest are other clients'
      }
    }

    void accept(Completion c) {
      InFlight b = batches.get(c.batchId());
      if (b == null) {
        if (!posts.isEmpty()) {
          early.computeIfAbsent(c.batchId(), k -> new ArrayList<>()).add(c);
        }
        return;
      }
      int i = c.seq() - 1;
      if (i < 0 || i >= b.done.length || b.done[i]) {
        return; // a task run twice (at-least-once delivery)
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

    private static String join(CompletableFuture<String> f) {
      try {
        return f.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      }
    }
  }

  /** Stops the submit threads. */
  @Override
  public void close() {
    posters.shutdownNow();
  }
}
