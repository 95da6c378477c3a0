package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.Tasks.MIB;
import static io.fleetrun.worker.process.Tasks.await;
import static io.fleetrun.worker.process.Tasks.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Json;
import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskResult;
import org.junit.jupiter.api.Test;

/** Output capture with real children: bounded, counted, drained to EOF, JSON-safe. */
class OutputStreamsTest extends SupervisedTest {

  @Test
  void megabyteThroughSmallLimitIsDrainedAndCounted() { // L01
    TaskResult r = await(supervisor.start(
        sh("head -c 1048576 /dev/zero | tr '\\000' x", 30_000, 2_000, 64 * 1024), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals(1_048_576, r.stdout().totalBytes());
    assertEquals(65_536, r.stdout().keptBytes());
    assertTrue(r.stdout().truncated());
    assertEquals("x".repeat(32_768), r.stdout().head());
    assertEquals("x".repeat(32_768), r.stdout().tail());
    assertTrue(r.durationMs() < 1_000, "took " + r.durationMs() + " ms");
  }

  @Test
  void bothStreamsAreDrainedAtOnce() { // L02
    String cmd = "i=0; while [ $i -lt 200 ]; do head -c 1024 /dev/zero | tr '\\000' e >&2;"
        + " echo out$i; i=$((i+1)); done";
    TaskResult r = await(supervisor.start(sh(cmd, 30_000, 2_000, MIB), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    String[] lines = r.stdout().text().split("\n");
    assertEquals(200, lines.length);
    assertEquals("out0", lines[0]);
    assertEquals("out199", lines[199]);
    assertEquals(204_800, r.stderr().totalBytes());
    assertEquals("e".repeat(204_800), r.stderr().text());
    assertFalse(r.stderr().truncated());
    assertTrue(r.durationMs() < 1_000, "took " + r.durationMs() + " ms");
  }

  @Test
  void tenMegabyteLineKeepsHeadAndTailMarker() { // L19
    TaskResult r = await(supervisor.start(
        sh("head -c 10485760 /dev/zero | tr '\\000' a; echo; echo tail-marker", 30_000, 2_000, MIB), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertEquals(10_485_760 + 1 + 12, r.stdout().totalBytes());
    assertEquals(MIB, r.stdout().keptBytes());
    assertTrue(r.stdout().head().startsWith("aaaa"));
    assertTrue(r.stdout().tail().endsWith("a\ntail-marker\n"));
    assertTrue(r.durationMs() < 2_000, "took " + r.durationMs() + " ms");
  }

  @Test
  void invalidUtf8IsFlaggedAndJsonStaysValid() { // L20
    String cmd = "printf 'start\\n\\377\\376\\227 bad\\n'; head -c 200000 /dev/urandom;"
        + " printf '\\nend-marker\\n'";
    TaskResult r = await(supervisor.start(sh(cmd, 30_000, 2_000, MIB), null));

    assertEquals(Outcome.SUCCEEDED, r.outcome());
    assertTrue(r.stdout().invalidUtf8());
    assertTrue(r.stdout().text().startsWith("start\n\uFFFD\uFFFD\uFFFD bad\n"));
    assertTrue(r.stdout().text().endsWith("\nend-marker\n"));
    assertEquals(6 + 8 + 200_000 + 12, r.stdout().totalBytes());

    TaskResult back = Json.read(Json.write(r), TaskResult.class);
    assertEquals(r, back, "the result survives a JSON round trip unchanged");
  }

  @Test
  void stdinIsDevNullSoReadersEndAtOnce() { // L17
    for (String cmd : new String[] {"cat", "read x; echo \"got:$x\"", "head -n1"}) {
      TaskResult r = await(supervisor.start(sh(cmd, 10_000, 1_000, 1024), null));
      assertEquals(Outcome.SUCCEEDED, r.outcome(), cmd + " -> " + r);
      assertTrue(r.durationMs() < 1_000, cmd + " took " + r.durationMs() + " ms");
    }
  }
}
