package io.fleetrun.worker.process;

import com.sun.jna.Pointer;
import io.fleetrun.common.wire.StreamCapture;
import java.util.Arrays;

/**
 * Keeps the head and the tail of one output stream within a byte limit and counts every byte.
 *
 * <p>The first half of the limit (rounded up) fills {@code head}; later bytes go to a ring buffer
 * of the other half, so the last bytes are always kept. Buffers grow with what actually arrived
 * (a task that prints one line holds a few KiB, not the limit) and never beyond the limit: memory
 * does not grow with output volume. At the end a stream that fit the limit is returned whole in
 * {@code head}; see {@link Utf8Text} for how bytes become text.
 *
 * <p>Not thread-safe: owned by the loop thread.
 */
final class OutputCapture {
  private static final byte[] NONE = new byte[0];
  private static final int MIN_GROWTH = 4096;

  private final long limit;
  private final int headLimit;
  private final int tailLimit;
  private byte[] head = NONE;
  private int headLength;
  private byte[] tail = NONE;
  private long tailWritten;
  private long total;

  OutputCapture(long limitBytes) {
    limit = Math.max(0, Math.min(limitBytes, Integer.MAX_VALUE - 16L));
    tailLimit = (int) (limit / 2);
    headLimit = (int) (limit - tailLimit);
  }

  /** Counts and keeps {@code length} bytes read into native memory at {@code src}. */
  void append(Pointer src, int length) {
    total += length;
    int toHead = Math.min(length, headLimit - headLength);
    if (toHead > 0) {
      head = grow(head, headLength, headLength + toHead, headLimit);
      src.read(0, head, headLength, toHead);
      headLength += toHead;
    }
    if (toHead < length && tailLimit > 0) {
      appendTail(src, toHead, length - toHead);
    }
  }

  long totalBytes() {
    return total;
  }

  private void appendTail(Pointer src, long offset, int length) {
    if (length > tailLimit) { // only the last tailLimit bytes of this chunk can survive
      offset += length - tailLimit;
      tailWritten += length - tailLimit;
      length = tailLimit;
    }
    if (tail.length < tailLimit) { // not wrapped yet: positions are plain offsets
      long needed = tailWritten + length;
      tail = grow(tail, (int) Math.min(tailWritten, tail.length), needed > tailLimit ? tailLimit : needed, tailLimit);
    }
    int pos = (int) (tailWritten % tail.length);
    int first = Math.min(length, tail.length - pos);
    src.read(offset, tail, pos, first);
    src.read(offset + first, tail, 0, length - first);
    tailWritten += length;
  }

  /** Returns buf with room for {@code needed} bytes: doubling, at least 4 KiB, at most cap. */
  private static byte[] grow(byte[] buf, int used, long needed, int cap) {
    if (needed <= buf.length) {
      return buf;
    }
    long size = Math.max(needed, Math.max(2L * buf.length, MIN_GROWTH));
    return Arrays.copyOf(Arrays.copyOf(buf, used), (int) Math.min(size, cap));
  }

  /** The tail bytes in stream order. */
  private byte[] orderedTail() {
    if (tailWritten <= tail.length) {
      return Arrays.copyOf(tail, (int) tailWritten);
    }
    int start = (int) (tailWritten % tail.length);
    byte[] ordered = new byte[tail.length];
    System.arraycopy(tail, start, ordered, 0, tail.length - start);
    System.arraycopy(tail, 0, ordered, tail.length - start, start);
    return ordered;
  }

  /** The wire form; the buffers are released, so call it once, at the end of the stream. */
  StreamCapture finish() {
    byte[] headBytes = Arrays.copyOf(head, headLength);
    byte[] tailBytes = orderedTail();
    head = NONE;
    tail = NONE;
    if (total <= limit) {
      byte[] all = Arrays.copyOf(headBytes, headBytes.length + tailBytes.length);
      System.arraycopy(tailBytes, 0, all, headBytes.length, tailBytes.length);
      Utf8Text text = Utf8Text.decode(all, 0, all.length);
      return new StreamCapture(text.text(), "", total, total, false, text.invalid());
    }
    int headEnd = Utf8Text.endWithoutCutSequence(headBytes, headBytes.length);
    int tailStart = Utf8Text.startAfterCutSequence(tailBytes, tailBytes.length);
    Utf8Text h = Utf8Text.decode(headBytes, 0, headEnd);
    Utf8Text t = Utf8Text.decode(tailBytes, tailStart, tailBytes.length - tailStart);
    long kept = headBytes.length + (long) tailBytes.length; // raw bytes held, cut sequences included
    return new StreamCapture(h.text(), t.text(), total, kept, true, h.invalid() || t.invalid());
  }
}
