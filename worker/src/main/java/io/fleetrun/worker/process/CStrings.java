package io.fleetrun.worker.process;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * C strings and NULL-terminated string vectors (argv, envp) in native memory, always UTF-8.
 *
 * <p>Each call returns one {@link Memory} block that the caller owns and closes (try-with-
 * resources), so a spawn frees its native memory at once instead of waiting for the GC.
 */
final class CStrings {
  private CStrings() {}

  /** One NUL-terminated string. */
  static Memory string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    Memory m = new Memory(bytes.length + 1L);
    m.write(0, bytes, 0, bytes.length);
    m.setByte(bytes.length, (byte) 0);
    return m;
  }

  /** A {@code char *[]} ending in NULL; the pointer table and all strings share one block. */
  static Memory vector(List<String> items) {
    byte[][] encoded = new byte[items.size()][];
    long tableBytes = (items.size() + 1L) * Long.BYTES;
    long total = tableBytes;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = items.get(i).getBytes(StandardCharsets.UTF_8);
      total += encoded[i].length + 1L;
    }
    Memory m = new Memory(total);
    long offset = tableBytes;
    for (int i = 0; i < encoded.length; i++) {
      m.setPointer((long) i * Long.BYTES, m.share(offset));
      m.write(offset, encoded[i], 0, encoded[i].length);
      m.setByte(offset + encoded[i].length, (byte) 0);
      offset += encoded[i].length + 1L;
    }
    m.setPointer((long) encoded.length * Long.BYTES, null);
    return m;
  }

  /** True when {@code s} holds a NUL character, which a C string cannot carry. */
  static boolean hasNul(String s) {
    return s.indexOf('\0') >= 0;
  }
}
