package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Json;
import org.junit.jupiter.api.Test;

class BatchWatcherTest {
  private static JsonNode batch(long total, long done, long running, long firstStartedAtMs) throws Exception {
    return Json.MAPPER.readTree("{\"taskCount\":" + total + ",\"done\":" + done + ",\"firstStartedAtMs\":"
        + firstStartedAtMs + ",\"counts\":{\"RUNNING\":" + running + ",\"SUCCEEDED\":" + done + "}}");
  }

  @Test
  void aSlowBatchShowsItsRateInsteadOfZeroAndAnEtaFromIt() throws Exception {
    long started = System.currentTimeMillis() - 300_000; // one task done in five minutes
    String line = BatchWatcher.progressLine(batch(10, 1, 4, started), 300_000);
    assertTrue(line.contains(", 0.0033 tasks/s, ETA 45m"), line);
  }

  @Test
  void nothingDoneYetHasNoEta() throws Exception {
    String line = BatchWatcher.progressLine(batch(10, 0, 4, System.currentTimeMillis() - 5_000), 5_000);
    assertTrue(line.endsWith("0/10 done, 0 not succeeded, 4 running, 0.0 tasks/s, ETA -"), line);
  }

  @Test
  void ratesFromOneUpKeepOneDecimal() {
    assertEquals("28.6", BatchWatcher.formatRate(28.57));
    assertEquals("1.0", BatchWatcher.formatRate(1.0));
    assertEquals("0.50", BatchWatcher.formatRate(0.5));
    assertEquals("0.0", BatchWatcher.formatRate(0));
  }
}
