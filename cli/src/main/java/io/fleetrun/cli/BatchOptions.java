package io.fleetrun.cli;

import io.fleetrun.loadtest.Units;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What {@code local} and {@code submit} add to a batch file: its name, and a timeout for every
 * task, as GNU parallel's {@code --timeout}. A text batch takes them as query parameters; a JSON
 * batch in its body ({@link BatchFile#withDefaults}).
 */
final class BatchOptions {
  /** The coordinator's own bound for a timeout (FieldRules): 7 days. */
  private static final long MAX_TIMEOUT_MS = 604_800_000L;

  @Option(names = "--name", description = "Batch name, unless a JSON batch names itself (default: the file name).")
  String name;

  @Option(names = "--timeout", paramLabel = "TIME",
      description = "Timeout of every task (e.g. 30s, 5m; a bare number is seconds, as in GNU parallel): then "
          + "SIGTERM to its whole tree and SIGKILL after the kill grace. A task's own timeoutMs wins; this wins "
          + "over a JSON batch's defaults.timeoutMs. Default: the batch's, else none.")
  String timeout;

  /** The batch as it is sent. */
  record Prepared(byte[] body, boolean json, Map<String, String> query, String name) {}

  /**
   * Applies the options to {@code raw}.
   *
   * @throws IllegalArgumentException naming the option when one is not valid (exit 2)
   */
  Prepared prepare(BatchFile raw) {
    String batchName = name != null ? name : raw.name();
    Long timeoutMs = timeoutMs();
    if (raw.json()) {
      return new Prepared(raw.withDefaults(batchName, timeoutMs).body(), true, Map.of(), batchName);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("name", batchName);
    if (timeoutMs != null) {
      query.put("timeoutMs", Long.toString(timeoutMs));
    }
    return new Prepared(raw.body(), false, query, batchName);
  }

  private Long timeoutMs() {
    if (timeout == null) {
      return null;
    }
    String t = timeout.trim();
    long ms = Units.millis(t.matches("\\d+(\\.\\d+)?") ? t + "s" : t, "--timeout");
    if (ms < 1 || ms > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("--timeout: must be 1ms to 7 days, got " + timeout);
    }
    return ms;
  }
}
