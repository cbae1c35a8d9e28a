package io.reliapi.llm.cost;

/**
 * An image's width and height in pixels, as its header declares them, read from the first bytes of an inline image
 * (PNG, GIF, WebP, JPEG). Null whenever the header is not found, not understood, or declares a size no provider
 * accepts, so the image counts at its model's largest bound.
 */
record ImageSize(int width, int height) {
  /** The largest side taken at its word: JPEG's and GIF's own limit; PNG may declare more, no provider takes it. */
  static final int MAX_SIDE = 65_535;

  private static final int[] PNG_SIGNATURE = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

  /** Reads the size of the inline image {@code bytes}, or null. */
  static ImageSize read(InlineImageBytes bytes) {
    int first = bytes.at(0);
    if (first == 0x89) {
      return png(bytes);
    }
    if (first == 0xff) {
      return JpegFrames.size(bytes);
    }
    if (bytes.matches(0, "GIF8")) {
      return of(bytes.u16le(6), bytes.u16le(8));
    }
    if (bytes.matches(0, "RIFF") && bytes.matches(8, "WEBP")) {
      return webp(bytes);
    }
    return null;
  }

  /** The size, or null when a side is unknown (-1), zero or beyond {@link #MAX_SIDE}. */
  static ImageSize of(long width, long height) {
    boolean plausible = width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE;
    return plausible ? new ImageSize((int) width, (int) height) : null;
  }

  private static ImageSize png(InlineImageBytes bytes) {
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (bytes.at(i) != PNG_SIGNATURE[i]) {
        return null;
      }
    }
    if (!bytes.matches(12, "IHDR")) {
      return null;
    }
    return of(u32(bytes, 16), u32(bytes, 20));
  }

  private static ImageSize webp(InlineImageBytes bytes) {
    if (bytes.matches(12, "VP8 ")) {
      boolean keyFrame = bytes.at(23) == 0x9d && bytes.at(24) == 0x01 && bytes.at(25) == 0x2a;
      return keyFrame ? of(fourteenBits(bytes.u16le(26)), fourteenBits(bytes.u16le(28))) : null;
    }
    if (bytes.matches(12, "VP8L")) {
      if (bytes.at(20) != 0x2f) {
        return null;
      }
      long bits = u32le(bytes, 21);
      return bits < 0 ? null : of((bits & 0x3fff) + 1, (bits >> 14 & 0x3fff) + 1);
    }
    if (bytes.matches(12, "VP8X")) {
      long width = u24le(bytes, 24);
      long height = u24le(bytes, 27);
      return width < 0 || height < 0 ? null : of(width + 1, height + 1);
    }
    return null;
  }

  private static int fourteenBits(int value) {
    return value < 0 ? -1 : value & 0x3fff;
  }

  private static long u32(InlineImageBytes bytes, int index) {
    int high = bytes.u16(index);
    int low = bytes.u16(index + 2);
    return high < 0 || low < 0 ? -1 : (long) high << 16 | low;
  }

  private static long u32le(InlineImageBytes bytes, int index) {
    int low = bytes.u16le(index);
    int high = bytes.u16le(index + 2);
    return high < 0 || low < 0 ? -1 : (long) high << 16 | low;
  }

  private static long u24le(InlineImageBytes bytes, int index) {
    int low = bytes.u16le(index);
    int high = bytes.at(index + 2);
    return high < 0 || low < 0 ? -1 : (long) high << 16 | low;
  }
}
