package io.fleetrun.worker.process;

import io.fleetrun.common.testing.LeakGuard;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import io.fleetrun.common.wire.StreamCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Head/tail bookkeeping and the UTF-8 policy, without processes. */
@ExtendWith(LeakGuard.class)
class OutputCaptureTest {

  @Test
  void streamWithinTheLimitIsKeptWholeInHead() {
    OutputCapture c = new OutputCapture(10);
    feed(c, "0123", 2);
    feed(c, "456789", 4);
    StreamCapture s = c.finish();

    assertEquals("0123456789", s.head());
    assertEquals("", s.tail());
    assertEquals(10, s.totalBytes());
    assertEquals(10, s.keptBytes());
    assertFalse(s.truncated());
  }

  @Test
  void longStreamKeepsFirstHalfAndLastHalfAndCountsAll() {
    OutputCapture c = new OutputCapture(10);
    feed(c, "0123456789ABCDEFGHIJKLMNOPQ", 3);
    StreamCapture s = c.finish();

    assertEquals("01234", s.head());
    assertEquals("MNOPQ", s.tail());
    assertEquals(27, s.totalBytes());
    assertEquals(10, s.keptBytes());
    assertTrue(s.truncated());
    assertEquals("01234\n[... 17 bytes not kept ...]\nMNOPQ", s.text());
  }

  @Test
  void tailRingWrapsOverManySmallWritesAndOneHugeWrite() {
    OutputCapture small = new OutputCapture(8);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      all.append((char) ('a' + i % 26));
    }
    feed(small, all.toString(), 1);
    assertEquals(all.substring(996), small.finish().tail());

    OutputCapture huge = new OutputCapture(8);
    feed(huge, all.toString(), 1000);
    StreamCapture s = huge.finish();
    assertEquals(all.substring(0, 4), s.head());
    assertEquals(all.substring(996), s.tail());
  }

  @Test
  void zeroLimitKeepsNothingButCounts() {
    OutputCapture c = new OutputCapture(0);
    feed(c, "abc", 3);
    StreamCapture s = c.finish();

    assertEquals("", s.text().replaceAll("\\n\\[\\.\\.\\. 3 bytes not kept \\.\\.\\.\\]\\n", ""));
    assertEquals(3, s.totalBytes());
    assertEquals(0, s.keptBytes());
    assertTrue(s.truncated());
  }

  @Test
  void multiByteCharactersCutByTheCaptureAreDroppedNotFlagged() {
    // a a a € z z z z z z é y y y: the head (4 bytes) ends inside €, the tail (4) starts inside é
    byte[] bytes = "aaa€zzzzzzéyyy".getBytes(StandardCharsets.UTF_8);
    OutputCapture c = new OutputCapture(8);
    feed(c, bytes, 5);
    StreamCapture s = c.finish();

    assertEquals("aaa", s.head());
    assertEquals("yyy", s.tail());
    assertEquals(bytes.length, s.totalBytes());
    assertEquals(8, s.keptBytes(), "raw bytes held, although the cut sequences are not in the text");
    assertFalse(s.invalidUtf8());
  }

  @Test
  void invalidBytesBecomeReplacementCharactersAndAreFlagged() {
    OutputCapture c = new OutputCapture(100);
    feed(c, new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe, ' ', 'x', (byte) 0xe2, (byte) 0x82}, 3);
    StreamCapture s = c.finish();

    assertEquals("ok\uFFFD\uFFFD x\uFFFD", s.head());
    assertTrue(s.invalidUtf8());
    assertEquals(8, s.keptBytes());
  }

  private static void feed(OutputCapture c, String text, int chunk) {
    feed(c, text.getBytes(StandardCharsets.UTF_8), chunk);
  }

  private static void feed(OutputCapture c, byte[] bytes, int chunk) {
    try (Memory m = new Memory(chunk)) {
      for (int off = 0; off < bytes.length; off += chunk) {
        int n = Math.min(chunk, bytes.length - off);
        m.write(0, bytes, off, n);
        c.append(m, n);
      }
    }
  }
}
