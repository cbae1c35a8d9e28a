package io.reliapi.llm.cost;

/**
 * The first bytes of an image given inline in base64 ({@code data:image/...;base64,...} or Anthropic's bare
 * {@code data}), decoded on demand from the text itself: reading a byte decodes only its own 4-character group,
 * so finding an image's size allocates nothing and never decodes past {@link #MAX_BYTES}. A character outside
 * base64's alphabet (whitespace, a line break) ends the readable bytes, as padding does.
 */
final class InlineImageBytes {
  /** The most bytes of one image the gateway decodes looking for its size. */
  static final int MAX_BYTES = 64 * 1024;
  private static final String BASE64_MARK = ";base64,";
  /** How far into a data URL its media type and parameters may reach before the base64 mark. */
  private static final int MAX_HEADER_CHARS = 256;

  private final String text;
  private final int start;
  private final int length;

  private InlineImageBytes(String text, int start) {
    this.text = text;
    this.start = start;
    this.length = (int) Math.min(MAX_BYTES, (long) (text.length() - start) / 4 * 3);
  }

  /** The bytes of a {@code data:image/...;base64,} URL, or null for any other URL. */
  static InlineImageBytes ofDataUrl(String url) {
    if (url == null || !url.regionMatches(true, 0, "data:image/", 0, 11)) {
      return null;
    }
    int mark = url.indexOf(BASE64_MARK, 11);
    if (mark < 0 || mark > MAX_HEADER_CHARS) {
      return null;
    }
    return new InlineImageBytes(url, mark + BASE64_MARK.length());
  }

  /** The bytes of bare base64 text, as Anthropic's {@code source.data} carries them. */
  static InlineImageBytes ofBase64(String data) {
    return new InlineImageBytes(data, 0);
  }

  /** An upper bound of the readable bytes: at most {@link #MAX_BYTES}. */
  int length() {
    return length;
  }

  /** The unsigned byte at {@code index}, or -1 past the readable bytes. */
  int at(int index) {
    if (index < 0 || index >= length) {
      return -1;
    }
    int group = start + index / 3 * 4;
    int bits = 0;
    int needed = index % 3 + 2;
    for (int i = 0; i < needed; i++) {
      int value = Base64Bytes.value(text.charAt(group + i));
      if (value < 0) {
        return -1;
      }
      bits = bits << 6 | value;
    }
    int spare = needed * 6 - (index % 3 + 1) * 8;
    return bits >> spare & 0xff;
  }

  /** A big-endian unsigned 16-bit value at {@code index}, or -1. */
  int u16(int index) {
    int high = at(index);
    int low = at(index + 1);
    return high < 0 || low < 0 ? -1 : high << 8 | low;
  }

  /** A little-endian unsigned 16-bit value at {@code index}, or -1. */
  int u16le(int index) {
    int low = at(index);
    int high = at(index + 1);
    return high < 0 || low < 0 ? -1 : high << 8 | low;
  }

  /** Returns whether the bytes at {@code index} are {@code ascii}. */
  boolean matches(int index, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (at(index + i) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
