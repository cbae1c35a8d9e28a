package io.reliapi.observe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing byte array written field after field and read back in the same order: numbers at fixed width,
 * strings as a length (-1 for null) and their UTF-8 bytes. The form {@link RecordBytes} packs records in.
 */
final class PackedBytes {
  /** Each thread writes into its own scratch array, so that packing allocates only the array it returns. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);
  private byte[] bytes;
  private int at;

  private PackedBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  static PackedBytes writer() {
    return new PackedBytes(SCRATCH.get());
  }

  static PackedBytes reader(byte[] packed) {
    return new PackedBytes(packed);
  }

  /** Returns the bytes written, exactly as many as were written; the writer is not to be used after. */
  byte[] toArray() {
    SCRATCH.set(bytes);
    return Arrays.copyOf(bytes, at);
  }

  void putByte(int b) {
    room(1);
    bytes[at++] = (byte) b;
  }

  void putInt(int v) {
    room(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[at++] = (byte) (v >>> shift);
    }
  }

  void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  void putDouble(double v) {
    putLong(Double.doubleToRawLongBits(v));
  }

  /** Writes {@code s}; ASCII (every name and code the gateway keeps) goes straight in, without a copy. */
  void putString(String s) {
    if (s == null) {
      putInt(-1);
      return;
    }
    int n = s.length();
    room(4 + n);
    int start = at;
    at += 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        at = start;
        putUtf8(s);
        return;
      }
      bytes[at++] = (byte) c;
    }
    int end = at;
    at = start;
    putInt(n);
    at = end;
  }

  private void putUtf8(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    putInt(utf8.length);
    room(utf8.length);
    System.arraycopy(utf8, 0, bytes, at, utf8.length);
    at += utf8.length;
  }

  int getByte() {
    return bytes[at++] & 0xff;
  }

  int getInt() {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (bytes[at++] & 0xff);
    }
    return v;
  }

  long getLong() {
    return ((long) getInt() << 32) | (getInt() & 0xffffffffL);
  }

  double getDouble() {
    return Double.longBitsToDouble(getLong());
  }

  String getString() {
    int n = getInt();
    if (n < 0) {
      return null;
    }
    String s = new String(bytes, at, n, StandardCharsets.UTF_8);
    at += n;
    return s;
  }

  private void room(int n) {
    if (at + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + n));
    }
  }
}
