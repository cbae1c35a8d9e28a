package io.reliapi.llm.cost;

/** Encodes a range of a string's chars as UTF-8 into an array the caller reuses, with no allocation. */
final class Utf8 {
  private Utf8() {}

  /**
   * Writes {@code text[start, end)} as UTF-8 into {@code out} (which has room for 3 bytes per char) and returns
   * the number of bytes written. An unpaired surrogate is written as U+FFFD, as {@link TextTokens#wellFormed}
   * would have replaced it.
   */
  static int encode(String text, int start, int end, byte[] out) {
    int at = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
      } else if (c < 0x800) {
        out[at++] = (byte) (0xc0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[at++] = (byte) (0xf0 | cp >> 18);
        out[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | cp & 0x3f);
      } else {
        char bmp = Character.isSurrogate(c) ? '\ufffd' : c;
        out[at++] = (byte) (0xe0 | bmp >> 12);
        out[at++] = (byte) (0x80 | bmp >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | bmp & 0x3f);
      }
    }
    return at;
  }
}
