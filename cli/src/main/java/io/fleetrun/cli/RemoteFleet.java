package io.fleetrun.cli;

import io.fleetrun.loadtest.BatchBody;
import io.fleetrun.loadtest.CompletionFeed;
import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.ResultsFeed;
import io.fleetrun.loadtest.TaskRequest;
import io.fleetrun.loadtest.probe.ProcProbe;
import io.fleetrun.loadtest.probe.WorkerProbe;
import java.util.List;
import java.util.Map;

/**
 * A running fleet reached through its coordinator. A load test cannot set remote workers' caps:
 * each step keeps exactly its concurrency in flight, and the fleet runs them under whatever caps
 * its workers have. A step above the fleet's total cap therefore queues tasks, and its
 * submit-to-start shows that queue; that is what a user of this fleet would see, and the report
 * says the caps were not set, and what the fleet's total cap was (from {@code GET /v1/fleet}).
 * Finished tasks come from the results topic when {@code bootstrap} is given, else from polling
 * the API; worker figures from /proc of {@code workerPid} when the worker runs on this host, else
 * from the fleet table.
 */
final class RemoteFleet implements Fleet {
  private final CoordinatorClient client;
  private final String bootstrap;
  private final CompletionFeed feed;
  private final WorkerProbe probe;
  private final FleetApiProbe fleetView;

  RemoteFleet(CoordinatorClient client, String bootstrap, Long workerPid) {
    this.client = client;
    this.bootstrap = bootstrap;
    client.newestBatches(1); // fails now, naming the URL, when the coordinator is unreachable or refuses the token
    this.feed = bootstrap != null ? new ResultsFeed(bootstrap) : new ApiPollingFeed(client);
    this.fleetView = new FleetApiProbe(client);
    this.probe = workerPid != null ? new ProcProbe(workerPid, "worker process on this host") : fleetView;
  }

  @Override
  public String describe() {
    return "remote: coordinator " + client.baseUrl() + ", finished tasks from "
        + (bootstrap != null ? "the results topic at " + bootstrap : "polling its API every " + ApiPollingFeed.POLL_MS + " ms")
        + "; worker caps are the fleet's own (a remote load test cannot set them)";
  }

  @Override
  public String prepare(int concurrency) {
    var totals = fleetView.totals();
    if (totals == null) {
      return concurrency + " tasks kept in flight; caps not set (remote fleet; its total cap is unknown)";
    }
    int cap = totals.path("cap").asInt();
    return concurrency + " tasks kept in flight; caps not set (remote fleet: " + totals.path("up").asInt()
        + " worker(s) up, total cap " + cap + (concurrency > cap ? "; OVER the cap: tasks wait in the queue" : "") + ")";
  }

  @Override
  public String submit(String name, List<TaskRequest> tasks) {
    return client.submit(BatchBody.json(name, tasks), true, Map.of()).path("batchId").asText();
  }

  @Override
  public CompletionFeed completions() {
    return feed;
  }

  @Override
  public WorkerProbe probe() {
    return probe;
  }

  @Override
  public void close() {
    feed.close();
  }
}
