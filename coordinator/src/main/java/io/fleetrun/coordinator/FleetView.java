package io.fleetrun.coordinator;

import io.fleetrun.common.wire.WorkerTelemetry;
import io.fleetrun.coordinator.ApiViews.BatchSummary;
import io.fleetrun.coordinator.FleetReport.BatchRow;
import io.fleetrun.coordinator.FleetReport.History;
import io.fleetrun.coordinator.FleetReport.HistoryPoint;
import io.fleetrun.coordinator.FleetReport.QueueLag;
import io.fleetrun.coordinator.FleetReport.Totals;
import io.fleetrun.coordinator.FleetReport.WorkerRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The fleet table: worker telemetry folded into one {@link WorkerState} per worker id, joined
 * once a tick with what the projection knows (tasks running per worker, batch counts) into a
 * {@link FleetReport}. Pure logic over a clock: no Vert.x, no I/O.
 *
 * <p>Rules: a worker silent for more than {@link FleetSettings#missedIntervals()} of its own
 * intervals is DOWN and the tasks RUNNING on it are suspect; a later {@code startedAtMs} under the
 * same id is a restart; a worker DOWN for {@link FleetSettings#forgetAfterMs()} is forgotten.
 * Rates are over {@link FleetSettings#rateWindowMs()}; a batch's ETA is its remaining tasks at its
 * current rate.
 *
 * <p>Threading: not thread-safe; confined to the fleet verticle's event loop (the states it hands
 * out are safe to read from elsewhere, see {@link WorkerState}). Cost per tick is linear in the
 * workers, the batches shown and the running tasks, never in the tasks of a batch.
 */
final class FleetView {
  /** What a sample did to the table. */
  enum Change { NEW, RESTART, UPDATE, IGNORED }

  /** Told of workers entering and leaving the table (for their metric series). */
  interface Listener {
    void added(WorkerState worker);

    void forgotten(String workerId);
  }

  private final FleetSettings settings;
  private final LongSupplier clock;
  private final Listener listener;
  private final Map<String, WorkerState> workers = new TreeMap<>();
  private final Map<String, RateWindow> batchRates = new HashMap<>();
  private final RateWindow fleetRate;
  private final ArrayDeque<HistoryPoint> history = new ArrayDeque<>();

  FleetView(FleetSettings settings, LongSupplier clock, Listener listener) {
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    this.fleetRate = new RateWindow(settings.rateWindowMs());
  }

  /** Folds in one sample, at the clock's now. */
  Change accept(WorkerTelemetry t) {
    long now = clock.getAsLong();
    WorkerState w = workers.get(t.workerId());
    if (w == null) {
      w = new WorkerState(t, now, settings.rateWindowMs());
      workers.put(t.workerId(), w);
      listener.added(w);
      return Change.NEW;
    }
    return w.update(t, now);
  }

  /** The workers in the table, by id. */
  Collection<WorkerState> workers() {
    return Collections.unmodifiableCollection(workers.values());
  }

  /**
   * Judges every worker at the clock's now, forgets the long-DOWN ones, joins the projection's
   * snapshot and records one history point.
   *
   * @param lag the queue lag last read from Kafka, or null
   */
  FleetReport tick(ProjectionSnapshot p, QueueLag lag) {
    long now = clock.getAsLong();
    forgetAndJudge(now);
    List<WorkerRow> rows = new ArrayList<>(workers.size());
    Map<String, Integer> suspectByBatch = new HashMap<>();
    int running = 0;
    int suspect = 0;
    for (List<String> tasks : p.runningByWorker().values()) {
      running += tasks.size();
    }
    for (WorkerState w : workers.values()) {
      List<String> tasks = p.runningByWorker().getOrDefault(w.workerId, List.of());
      w.runningTasks(tasks.size());
      List<String> suspectIds = List.of();
      if (!w.up()) {
        suspect += tasks.size();
        tasks.forEach(id -> suspectByBatch.merge(batchOf(id), 1, Integer::sum));
        suspectIds = tasks.size() <= WorkerRow.MAX_SUSPECT_IDS ? tasks : tasks.subList(0, WorkerRow.MAX_SUSPECT_IDS);
      }
      rows.add(new WorkerRow(w.workerId, w.up() ? "UP" : "DOWN", w.firstSeenMs, w.lastSeenMs(),
          Math.max(0, now - w.lastSeenMs()), w.restarts(), w.up() ? round(w.resultsPerSecond()) : 0,
          tasks.size(), suspectIds, w.latest()));
    }
    List<BatchRow> batches = batchRows(p, suspectByBatch, now);
    fleetRate.add(now, p.finishedTotal());
    double rate = round(orZero(fleetRate.perSecond()));
    Totals totals = totals(rate, running, suspect, batches);
    remember(now, totals, lag);
    return new FleetReport(FleetReport.VERSION, now, totals, rows, batches, lag);
  }

  /** The history points kept, oldest first. */
  History history() {
    return new History(settings.tickMs(), List.copyOf(history));
  }

  private void forgetAndJudge(long now) {
    for (Iterator<WorkerState> it = workers.values().iterator(); it.hasNext(); ) {
      WorkerState w = it.next();
      w.judge(now, settings.missedIntervals());
      if (w.forgotten(now, settings.forgetAfterMs())) {
        it.remove();
        listener.forgotten(w.workerId);
      }
    }
  }

  private List<BatchRow> batchRows(ProjectionSnapshot p, Map<String, Integer> suspectByBatch, long now) {
    List<BatchRow> rows = new ArrayList<>(p.batches().size());
    Map<String, RateWindow> kept = new HashMap<>();
    for (BatchSummary b : p.batches()) {
      RateWindow window = batchRates.getOrDefault(b.batchId(), new RateWindow(settings.rateWindowMs()));
      window.add(now, b.done());
      kept.put(b.batchId(), window);
      rows.add(batchRow(b, window, suspectByBatch.getOrDefault(b.batchId(), 0), now));
    }
    batchRates.clear();
    batchRates.putAll(kept);
    return rows;
  }

  private static BatchRow batchRow(BatchSummary b, RateWindow window, int suspect, long now) {
    int succeeded = b.counts().getOrDefault("SUCCEEDED", 0);
    int running = b.counts().getOrDefault("RUNNING", 0);
    int queued = b.counts().getOrDefault("QUEUED", 0);
    long since = b.firstStartedAtMs() == null ? -1 : b.firstStartedAtMs();
    double rate;
    Long eta;
    if (b.finishedAtMs() != null) {
      long span = since < 0 ? 0 : b.finishedAtMs() - since;
      rate = span > 0 ? b.done() * 1000.0 / span : 0;
      eta = 0L;
    } else {
      rate = window.perSecond();
      if (Double.isNaN(rate)) {
        // the window is younger than a second: the average since the first start, if any
        rate = since > 0 && now - since >= RateWindow.MIN_SPAN_MS ? b.done() * 1000.0 / (now - since) : 0;
      }
      int remaining = Math.max(0, b.taskCount() - b.done());
      eta = rate > 0 ? Math.round(remaining / rate * 1000) : null;
    }
    Map<String, Integer> failedBy = new TreeMap<>();
    b.counts().forEach((state, n) -> {
      if (n > 0 && !state.equals("SUCCEEDED") && !state.equals("RUNNING") && !state.equals("QUEUED")) {
        failedBy.put(state, n);
      }
    });
    return new BatchRow(b.batchId(), b.name(), b.state(), b.taskCount(), b.done(), succeeded,
        b.done() - succeeded, failedBy, running, queued, suspect, round(rate), eta, b.elapsedMs(),
        b.acceptedAtMs(), b.finishedAtMs());
  }

  private Totals totals(double rate, int running, int suspect, List<BatchRow> batches) {
    int up = 0;
    int cap = 0;
    int live = 0;
    int prefetched = 0;
    int fds = 0;
    int threads = 0;
    int zombies = 0;
    double cpu = 0;
    double childCpu = 0;
    long rss = 0;
    long childRss = 0;
    for (WorkerState w : workers.values()) {
      if (!w.up()) {
        continue;
      }
      WorkerTelemetry t = w.latest();
      up++;
      cap += t.cap();
      live += t.liveChildren();
      prefetched += t.queued();
      fds += t.openFds();
      threads += t.threads();
      zombies += t.zombies();
      cpu += t.processCpuCores();
      childCpu += t.childrenCpuCores();
      rss += t.rssBytes();
      childRss += t.childrenRssBytes();
    }
    int queuedTasks = batches.stream().mapToInt(BatchRow::queued).sum();
    return new Totals(workers.size(), up, workers.size() - up, cap, live, prefetched, rate, running,
        suspect, queuedTasks, round(cpu), round(childCpu), rss, childRss, fds, threads, zombies);
  }

  private void remember(long now, Totals t, QueueLag lag) {
    history.addLast(new HistoryPoint(now, t.tasksPerSecond(), t.up(), t.cap(), t.liveChildren(),
        t.runningTasks(), t.queuedTasks(), t.cpuCores(), t.childrenCpuCores(), t.rssBytes(),
        t.childrenRssBytes(), lag == null ? null : lag.total()));
    while (history.size() > settings.historyPoints()) {
      history.removeFirst();
    }
  }

  static String batchOf(String taskId) {
    int dot = taskId.lastIndexOf('.');
    return dot < 0 ? taskId : taskId.substring(0, dot);
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /** Three decimals are plenty for rates and cores, and keep the JSON short. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
