package io.fleetrun.worker.process;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Captured bytes as JSON-safe text.
 *
 * <p>Policy: every malformed UTF-8 sequence becomes one U+FFFD and sets {@code invalid}; the
 * byte counts of a capture stay those of the raw bytes. Where the capture itself cut the stream
 * (the end of the head, the start of the tail of a truncated stream), a multi-byte character can
 * be split; those partial sequences (at most 3 bytes at each cut) are an artefact of the cut, not
 * of the child, so they are left out of the text without flagging; {@code keptBytes} still counts
 * them (it is the raw bytes held: exactly the limit for a truncated stream).
 *
 * @param text the decoded characters
 * @param invalid true when at least one malformed sequence was replaced
 */
record Utf8Text(String text, boolean invalid) {

  static Utf8Text decode(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length); // one char or one U+FFFD per byte at most
    boolean invalid = false;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        decoder.flush(out);
        break;
      }
      if (!r.isError()) {
        throw new IllegalStateException("decoder overflow: " + r);
      }
      invalid = true;
      out.put('\uFFFD');
      in.position(in.position() + r.length());
    }
    out.flip();
    return new Utf8Text(out.toString(), invalid);
  }

  /** Length without a trailing multi-byte sequence that the cut left incomplete. */
  static int endWithoutCutSequence(byte[] b, int length) {
    int i = length - 1;
    int continuation = 0;
    while (i >= 0 && continuation < 3 && isContinuation(b[i])) {
      i--;
      continuation++;
    }
    if (i < 0) {
      return length;
    }
    int need = sequenceLength(b[i]);
    return need > 1 && continuation < need - 1 ? i : length;
  }

  /** Offset of the first byte that is not a continuation byte left over from the cut (max 3). */
  static int startAfterCutSequence(byte[] b, int length) {
    int i = 0;
    while (i < length && i < 3 && isContinuation(b[i])) {
      i++;
    }
    return i;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Bytes a well-formed sequence starting with {@code lead} has; 0 for a byte no sequence starts with. */
  private static int sequenceLength(byte lead) {
    int v = lead & 0xFF;
    if (v < 0x80) {
      return 1;
    }
    if (v >= 0xC2 && v <= 0xDF) {
      return 2;
    }
    if (v >= 0xE0 && v <= 0xEF) {
      return 3;
    }
    return v >= 0xF0 && v <= 0xF4 ? 4 : 0;
  }
}
