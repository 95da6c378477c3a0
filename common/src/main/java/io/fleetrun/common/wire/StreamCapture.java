package io.fleetrun.common.wire;

/**
 * What was kept of one output stream of a task.
 *
 * <p>Policy: capture is byte-based. When a stream's total is at most the limit, {@code head} holds
 * all of it and {@code tail} is empty. Otherwise the first half of the limit is kept in {@code
 * head}, the last half in {@code tail}, and {@code truncated} is set; the child is always drained
 * to EOF. Bytes are decoded as UTF-8 for JSON; invalid sequences become U+FFFD and set {@code
 * invalidUtf8} (the counts are of the raw bytes, before decoding).
 *
 * @param totalBytes every byte the stream produced
 * @param keptBytes raw bytes kept in head plus tail
 */
public record StreamCapture(
    String head, String tail, long totalBytes, long keptBytes, boolean truncated, boolean invalidUtf8) {

  public static final StreamCapture EMPTY = new StreamCapture("", "", 0, 0, false, false);

  public StreamCapture {
    head = head == null ? "" : head;
    tail = tail == null ? "" : tail;
  }

  /** Head and tail joined, with a marker line where bytes were dropped. */
  public String text() {
    if (!truncated) {
      return head + tail;
    }
    return head + "\n[... " + (totalBytes - keptBytes) + " bytes not kept ...]\n" + tail;
  }
}
