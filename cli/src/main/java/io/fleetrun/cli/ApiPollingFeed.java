package io.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.loadtest.Completion;
import io.fleetrun.loadtest.CompletionFeed;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Finished tasks found by polling a coordinator's API, for a remote fleet whose Kafka the load
 * test cannot reach: every {@value #POLL_MS} ms the newest batches ({@code GET /v1/batches}), and
 * the task rows of each batch whose done count grew. The poll interval delays refills (not the
 * measured times, which are the worker's), so a run keeps somewhat fewer than its concurrency in
 * flight; {@code --bootstrap} (the results topic) avoids that. Task CPU is not in the rows
 * (reported as -1). Batches that existed before the feed started are ignored.
 */
final class ApiPollingFeed implements CompletionFeed {
  static final long POLL_MS = 20;
  private static final int WINDOW = 1000;
  private final CoordinatorClient client;
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
  private final Set<String> before = new HashSet<>();
  private final Map<String, BitSet> reported = new HashMap<>();
  private final Thread poller;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  ApiPollingFeed(CoordinatorClient client) {
    this.client = client;
    for (JsonNode b : client.newestBatches(WINDOW).path("items")) {
      before.add(b.path("batchId").asText());
    }
    poller = new Thread(this::pollLoop, "loadtest-api-poller");
    poller.setDaemon(true);
    poller.start();
  }

  private void pollLoop() {
    try {
      while (!closed) {
        pollOnce();
        Thread.sleep(POLL_MS);
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      failure = new IllegalStateException("polling " + client.baseUrl() + " failed: " + e.getMessage(), e);
    }
  }

  private void pollOnce() {
    Set<String> listed = new HashSet<>();
    for (JsonNode b : client.newestBatches(WINDOW).path("items")) {
      String id = b.path("batchId").asText();
      listed.add(id);
      BitSet seen = reported.computeIfAbsent(id, k -> new BitSet());
      if (!before.contains(id) && b.path("done").asInt() > seen.cardinality()) {
        fetch(id, b.path("taskCount").asInt(), seen);
      }
    }
    reported.keySet().retainAll(listed);
    before.retainAll(listed);
  }

  private void fetch(String batchId, int taskCount, BitSet seen) {
    for (int offset = 0; offset < taskCount; offset += WINDOW) {
      for (JsonNode t : client.tasks(batchId, null, offset, WINDOW).path("items")) {
        int seq = t.path("seq").asInt();
        if (!t.path("outcome").isTextual() || seen.get(seq)) {
          continue;
        }
        seen.set(seq);
        queue.add(new Completion(batchId, seq, Outcome.valueOf(t.path("outcome").asText()),
            t.path("startedAtMs").asLong(0), t.path("endedAtMs").asLong(0), -1,
            t.path("stdoutBytes").asLong(0) + t.path("stderrBytes").asLong(0)));
      }
    }
  }

  @Override
  public List<Completion> poll(long maxWaitMs) throws InterruptedException {
    if (failure != null) {
      throw failure;
    }
    List<Completion> out = new ArrayList<>();
    Completion first = maxWaitMs > 0 ? queue.poll(maxWaitMs, TimeUnit.MILLISECONDS) : queue.poll();
    if (first != null) {
      out.add(first);
      queue.drainTo(out);
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    poller.interrupt();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
