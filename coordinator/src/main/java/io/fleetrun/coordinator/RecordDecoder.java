package io.fleetrun.coordinator;

import io.fleetrun.common.Json;
import io.fleetrun.common.Topics;
import io.fleetrun.common.wire.ControlMessage;
import io.fleetrun.common.wire.ResultEvent;
import io.fleetrun.common.wire.ResultEvent.BatchAccepted;
import io.fleetrun.common.wire.ResultEvent.TaskFinished;
import io.fleetrun.common.wire.ResultEvent.TaskStarted;
import io.fleetrun.common.wire.StreamCapture;
import io.fleetrun.common.wire.TaskResult;
import io.fleetrun.common.wire.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw records of the tasks, results and control topics into small {@link Projection} updates:
 * output captures are dropped (only their byte counts and the record's offset are kept) and
 * command text is cut to what listings show. A record that cannot be decoded is logged and
 * skipped, never fatal. Used by the loader thread only; not thread-safe.
 */
final class RecordDecoder {
  private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);

  private long bad;

  List<Consumer<Projection>> decode(ConsumerRecords<String, byte[]> records) {
    List<Consumer<Projection>> updates = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.value() == null) {
        continue;
      }
      try {
        Consumer<Projection> u = switch (r.topic()) {
          case Topics.TASKS -> task(r);
          case Topics.CONTROL -> control(r);
          default -> result(r);
        };
        if (u != null) {
          updates.add(u);
        }
      } catch (RuntimeException e) {
        bad++;
        if (bad <= 20 || bad % 10_000 == 0) {
          log.warn("projection: skipped undecodable record {}-{}@{} ({} so far): {}",
              r.topic(), r.partition(), r.offset(), bad, rootMessage(e));
        }
      }
    }
    return updates;
  }

  private static Consumer<Projection> task(ConsumerRecord<String, byte[]> r) {
    TaskSpec s = Json.read(r.value(), TaskSpec.class);
    String display = s.display();
    // one character more than listings show, so the projection still sees it was cut and marks it
    String cmd = display.length() <= Projection.MAX_CMD_CHARS
        ? display : display.substring(0, Projection.MAX_CMD_CHARS + 1);
    String batchId = s.batchId();
    int seq = s.seq();
    int attempt = s.attempt();
    int partition = r.partition();
    long offset = r.offset();
    return p -> p.applyTaskRecord(batchId, seq, attempt, cmd, partition, offset);
  }

  private static Consumer<Projection> control(ConsumerRecord<String, byte[]> r) {
    ControlMessage m = Json.read(r.value(), ControlMessage.class);
    long offset = r.offset();
    return p -> p.applyControl(m, offset);
  }

  private static Consumer<Projection> result(ConsumerRecord<String, byte[]> r) {
    ResultEvent e = Json.read(r.value(), ResultEvent.class);
    if (e instanceof BatchAccepted a) {
      return p -> p.applyAccepted(a);
    }
    if (e instanceof TaskStarted s) {
      return p -> p.applyStarted(s);
    }
    if (e instanceof TaskFinished f) {
      TaskFinished small = withoutOutput(f);
      int partition = r.partition();
      long offset = r.offset();
      return p -> p.applyFinished(small, partition, offset);
    }
    return null;
  }

  /** The event with its captures reduced to their counters; the text stays in Kafka. */
  static TaskFinished withoutOutput(TaskFinished f) {
    TaskResult r = f.result();
    if (r == null) {
      return f;
    }
    TaskResult small = new TaskResult(r.outcome(), r.exitCode(), r.signal(), r.cause(),
        r.escalatedToKill(), null, r.startedAtMs(), r.endedAtMs(), r.userCpuMs(), r.sysCpuMs(),
        r.maxRssBytes(), r.descendantsKilled(), counts(r.stdout()), counts(r.stderr()));
    return new TaskFinished(f.v(), f.batchId(), f.taskId(), f.seq(), f.attempt(), f.workerId(), f.host(), small);
  }

  private static StreamCapture counts(StreamCapture c) {
    return new StreamCapture("", "", c.totalBytes(), c.keptBytes(), c.truncated(), c.invalidUtf8());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
