package io.fleetrun.coordinator;

import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.ResultEvent.BatchAccepted;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.coordinator.ApiViews.BatchSummary;
import io.fleetrun.coordinator.ApiViews.Page;
import io.fleetrun.coordinator.ApiViews.TaskItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's read model: a pure fold of task records ({@code fleetrun.tasks}), result
 * events ({@code fleetrun.results}) and batch-level cancels ({@code fleetrun.control}) into batch
 * and task state. No Kafka here; {@link
 * ProjectionLoader} feeds it. Every apply is idempotent and order-tolerant: events are
 * deduplicated by (task id, attempt), FINISHED wins over STARTED whatever the arrival order, and a
 * task's state comes from its highest attempt.
 *
 * <p>Threading: not thread-safe; confined to the coordinator verticle's event loop. Memory: per
 * task one {@link TaskEntry} (about 130 bytes plus up to {@link #MAX_CMD_CHARS} characters of
 * command), no output, no per-task map.
 */
final class Projection {
  static final int MAX_CMD_CHARS = 200;
  private static final Logger log = LoggerFactory.getLogger(Projection.class);
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final TreeMap<String, BatchEntry> batches = new TreeMap<>();
  /**
   * Batch cancels ({atMs, offset}) read before anything else of their batch: topics are read in no
   * particular order at start. Attached when the batch appears; a cancel whose batch left the
   * (time-retained) other topics stays here, a few bytes each.
   */
  private final Map<String, long[]> earlyCancels = new HashMap<>();
  private final Interner names = new Interner();
  private final FleetLedger ledger = new FleetLedger();
  private final int maxSeq;
  private final LongSupplier clock;
  private long skipped;

  /** @param maxSeq events of tasks with a higher seq are dropped (a guard against bad records) */
  Projection(int maxSeq, LongSupplier clock) {
    this.maxSeq = maxSeq;
    this.clock = clock;
  }

  Projection(int maxSeq) {
    this(maxSeq, System::currentTimeMillis);
  }

  /** A task record at (partition, offset) of the tasks topic; the highest attempt's record is kept. */
  public void applyTaskRecord(String batchId, int seq, int attempt, String display, int partition, long offset) {
    if (!valid(batchId, seq, attempt)) {
      return;
    }
    TaskEntry t = entry(batchId).taskOrCreate(seq);
    if (attempt >= t.specAttempt) {
      t.specAttempt = attempt;
      t.specPartition = partition;
      t.specOffset = offset;
      t.cmd = display == null || display.length() <= MAX_CMD_CHARS
          ? display : display.substring(0, MAX_CMD_CHARS - 3) + "...";
    }
    ledger.batchChanged(batches.get(batchId));
  }

  public void applyAccepted(BatchAccepted e) {
    if (e.batchId() == null || e.taskCount() < 1 || e.taskCount() > maxSeq) {
      skip("BATCH_ACCEPTED with bad batch id or task count", e.batchId());
      return;
    }
    BatchEntry b = entry(e.batchId());
    if (!b.accepted) {
      b.accept(e.name(), e.taskCount(), e.acceptedAtMs());
      ledger.accepted(e.taskCount());
    }
    ledger.batchChanged(b);
  }

  public void applyStarted(TaskStarted e) {
    if (valid(e.batchId(), e.seq(), e.attempt())) {
      BatchEntry b = entry(e.batchId());
      TaskEntry t = b.taskOrCreate(e.seq());
      int before = t.stateCode();
      String beforeWorker = t.workerId;
      AttemptSlot slot = t.slotFor(e.attempt());
      int runsBefore = slot.runs;
      if (slot.applyStarted(e, names)) {
        b.recount(before, t.stateCode());
        b.noteTimes(slot);
      }
      if (runsBefore >= 1 && slot.runs > runsBefore) {
        b.reruns++;
      }
      track(b, e.seq(), t, before, beforeWorker);
    }
  }

  /** A TASK_FINISHED event whose record sits at (partition, offset) of the results topic. */
  public void applyFinished(TaskFinished e, int partition, long offset) {
    if (valid(e.batchId(), e.seq(), e.attempt()) && e.result() != null) {
      BatchEntry b = entry(e.batchId());
      TaskEntry t = b.taskOrCreate(e.seq());
      int before = t.stateCode();
      String beforeWorker = t.workerId;
      AttemptSlot slot = t.slotFor(e.attempt());
      if (slot.applyFinished(e, partition, offset, names)) {
        b.recount(before, t.stateCode());
        b.noteTimes(slot);
        ledger.finished(slot.outcome);
      }
      track(b, e.seq(), t, before, beforeWorker);
    }
  }

  /** Tells the ledger where task {@code seq} runs now and whether its batch is still open. */
  private void track(BatchEntry b, int seq, TaskEntry t, int before, String beforeWorker) {
    int after = t.stateCode();
    if (before == 0 || after == 0) {
      ledger.taskMoved(b.batchId + "." + seq, before, beforeWorker, after, t.workerId);
    }
    ledger.batchChanged(b);
  }

  /**
   * A control record at {@code offset} of the control topic. A batch-level cancel marks its batch
   * (see {@link BatchEntry#requestCancel}); a task-level cancel is not kept: the task shows
   * CANCELLED once its worker reports it. Unknown batches are not created by a cancel.
   */
  public void applyControl(ControlMessage m, long offset) {
    if (m.kind() != ControlMessage.Kind.CANCEL || m.taskId() != null || m.batchId().isEmpty()) {
      return;
    }
    BatchEntry b = batches.get(m.batchId());
    if (b != null) {
      b.requestCancel(m.requestedAtMs(), offset);
      return;
    }
    long[] early = earlyCancels.get(m.batchId());
    if (early == null || offset >= early[1]) {
      earlyCancels.put(m.batchId(), new long[] {m.requestedAtMs(), offset});
    }
  }

  /** Batches, newest first (batch ids sort by creation time). */
  public Page<BatchSummary> batches(int offset, int limit) {
    List<BatchSummary> items = new ArrayList<>();
    int i = 0;
    for (BatchEntry b : batches.descendingMap().values()) {
      if (i >= offset && items.size() < limit) {
        items.add(summary(b));
      }
      i++;
    }
    return new Page<>(items, batches.size(), offset, limit);
  }

  public Optional<BatchSummary> batch(String batchId) {
    BatchEntry b = batches.get(batchId);
    return b == null ? Optional.empty() : Optional.of(summary(b));
  }

  /**
   * Tasks of a batch in seq order, optionally only those in state {@code stateCode} (see {@link
   * #stateCode(String)}); empty when the batch is unknown.
   */
  public Optional<Page<TaskItem>> tasks(String batchId, Integer stateCode, int offset, int limit) {
    BatchEntry b = batches.get(batchId);
    if (b == null) {
      return Optional.empty();
    }
    List<TaskItem> items = new ArrayList<>();
    int total = 0;
    for (int seq = 1; seq <= b.maxSeq(); seq++) {
      TaskEntry t = b.task(seq);
      if (t == null && !b.accepted) {
        continue;
      }
      int code = t == null ? -1 : t.stateCode();
      if (stateCode == null || stateCode == code) {
        if (total >= offset && items.size() < limit) {
          items.add(TaskEntry.row(b.batchId, seq, t));
        }
        total++;
      }
    }
    return Optional.of(new Page<>(items, total, offset, limit));
  }

  /** Where to find everything about one task, or empty when the task is unknown. */
  public Optional<TaskLookup> task(String taskId) {
    int dot = taskId.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    BatchEntry b = batches.get(taskId.substring(0, dot));
    int seq;
    try {
      seq = Integer.parseInt(taskId.substring(dot + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    TaskEntry t = b == null ? null : b.task(seq);
    if (t == null && (b == null || !b.accepted || seq < 1 || seq > b.declaredCount)) {
      return Optional.empty();
    }
    return Optional.of(TaskLookup.of(b.batchId + "." + seq, b.batchId, seq, t));
  }

  /**
   * What the fleet view needs, detached from the projection: batches not yet done (newest first,
   * at most {@code maxOpen}), the newest {@code recent} batches that finished at or after {@code
   * finishedSinceMs}, tasks running per worker, and the event counters.
   */
  public ProjectionSnapshot fleetSnapshot(int maxOpen, int recent, long finishedSinceMs) {
    List<BatchSummary> shown = new ArrayList<>();
    for (String id : ledger.openBatches(maxOpen)) {
      shown.add(summary(batches.get(id)));
    }
    int looked = 0;
    for (BatchEntry b : batches.descendingMap().values()) {
      if (looked++ >= recent) {
        break;
      }
      if (b.allDone() && b.lastEndedAtMs >= finishedSinceMs) {
        shown.add(summary(b));
      }
    }
    return new ProjectionSnapshot(shown, ledger.runningByWorker(), ledger.finishedByOutcome(),
        ledger.batchesAccepted(), ledger.tasksAccepted(), ledger.openCount());
  }

  /** The state code of a filter name: QUEUED, RUNNING or an Outcome name. */
  public static int stateCode(String name) {
    if (name.equals("QUEUED")) {
      return -1;
    }
    if (name.equals("RUNNING")) {
      return 0;
    }
    return 1 + Outcome.valueOf(name).ordinal();
  }

  static String stateName(int code) {
    return code < 0 ? "QUEUED" : code == 0 ? "RUNNING" : OUTCOMES[code - 1].name();
  }

  private BatchSummary summary(BatchEntry b) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("QUEUED", b.queued());
    counts.put("RUNNING", b.running());
    for (Outcome o : OUTCOMES) {
      counts.put(o.name(), b.outcomeCount(o));
    }
    Long finishedAt = b.allDone() ? b.lastEndedAtMs : null;
    long from = b.acceptedAtMs >= 0 ? b.acceptedAtMs : b.firstStartedAtMs;
    Long elapsed = from < 0 ? null : Math.max(0, (finishedAt != null ? finishedAt : clock.getAsLong()) - from);
    return new BatchSummary(b.batchId, b.name, b.state(), b.taskCount(), b.done(), counts,
        b.reruns, opt(b.acceptedAtMs), opt(b.firstStartedAtMs), finishedAt, elapsed,
        b.cancelRequested ? b.cancelRequestedAtMs : null);
  }

  static Long opt(long v) {
    return v < 0 ? null : v;
  }

  private BatchEntry entry(String batchId) {
    BatchEntry b = batches.get(batchId);
    if (b == null) {
      b = new BatchEntry(batchId);
      batches.put(batchId, b);
      long[] early = earlyCancels.remove(batchId);
      if (early != null) {
        b.requestCancel(early[0], early[1]);
      }
    }
    return b;
  }

  private boolean valid(String batchId, int seq, int attempt) {
    if (batchId == null || batchId.isEmpty() || seq < 1 || seq > maxSeq || attempt < 1) {
      skip("event with bad batch id, seq or attempt (seq " + seq + ", attempt " + attempt + ")", batchId);
      return false;
    }
    return true;
  }

  private void skip(String what, String batchId) {
    skipped++;
    if (skipped <= 20 || skipped % 10_000 == 0) {
      log.warn("projection: ignored {} of batch {} ({} ignored so far)", what, batchId, skipped);
    }
  }
}
