package io.reliapi.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that log lines are written into as UTF-8, reused line after line by one writer
 * thread: plain ASCII text is copied byte for byte, so a line is never built as a String first and then
 * encoded (two copies and two allocations per line).
 */
final class LineBytes {
  private byte[] bytes;
  private int length;

  LineBytes(int capacity) {
    bytes = new byte[capacity];
  }

  void clear() {
    length = 0;
  }

  int length() {
    return length;
  }

  /** Goes back to an earlier length, dropping what was written since. */
  void truncate(int mark) {
    length = mark;
  }

  LineBytes ascii(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Appends text known to be ASCII (names, numbers, fixed words). */
  LineBytes ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  /**
   * Appends {@code text} if it needs no JSON escaping (printable ASCII without quote or backslash) and returns
   * true; otherwise appends nothing and returns false.
   */
  boolean plain(String text) {
    int n = text.length();
    ensure(n);
    int at = length;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
      bytes[at++] = (byte) c;
    }
    length = at;
    return true;
  }

  LineBytes append(byte[] more) {
    ensure(more.length);
    System.arraycopy(more, 0, bytes, length, more.length);
    length += more.length;
    return this;
  }

  LineBytes append(long value) {
    return ascii(Long.toString(value));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
