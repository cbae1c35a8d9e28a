package io.reliapi.llm.cost;

/**
 * Decodes standard base64 (with {@code =} padding) from a range of one array into another, so a vocabulary
 * of 200 000 tokens loads without an array or a buffer per token, as {@link java.util.Base64} would need. Holds
 * the one base64 alphabet of the package ({@link #value}, also read by {@link InlineImageBytes}).
 */
final class Base64Bytes {
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
    // The URL-safe alphabet's two characters, which some clients put in data: URLs.
    VALUES['-'] = 62;
    VALUES['_'] = 63;
  }

  private Base64Bytes() {}

  /** Returns the 6-bit value of the base64 character {@code c} (standard or URL-safe alphabet), or -1. */
  static int value(int c) {
    return c >= 0 && c < 128 ? VALUES[c] : -1;
  }

  /** Returns how many bytes {@code text[from, to)} decodes to. */
  static int decodedLength(byte[] text, int from, int to) {
    int length = to - from;
    if (length % 4 != 0) {
      throw new IllegalStateException("base64 of a length not a multiple of 4 at byte " + from);
    }
    int padding = length == 0 ? 0 : (text[to - 1] == '=' ? 1 : 0) + (text[to - 2] == '=' ? 1 : 0);
    return length / 4 * 3 - padding;
  }

  /** Decodes {@code text[from, to)} into {@code out} at {@code at}; returns the index after the last byte written. */
  static int decode(byte[] text, int from, int to, byte[] out, int at) {
    int end = at + decodedLength(text, from, to);
    int bits = 0;
    int pending = 0;
    for (int i = from; i < to && text[i] != '='; i++) {
      int value = value(text[i]);
      if (value < 0) {
        throw new IllegalStateException("not base64 at byte " + i);
      }
      bits = bits << 6 | value;
      pending += 6;
      if (pending >= 8) {
        pending -= 8;
        out[at++] = (byte) (bits >> pending);
      }
    }
    if (at != end) {
      throw new IllegalStateException("base64 that does not decode to whole bytes at byte " + from);
    }
    return at;
  }
}
