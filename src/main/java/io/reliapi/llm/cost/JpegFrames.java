package io.reliapi.llm.cost;

/**
 * Finds a JPEG's size in its start-of-frame (SOFn) segment, stepping over the segments before it (APPn with EXIF
 * thumbnails, tables, comments) by their declared lengths. Each step advances at least two bytes and reading stops
 * at {@link InlineImageBytes#MAX_BYTES}, so a hostile file costs at most a bounded walk.
 */
final class JpegFrames {
  private static final int START_OF_IMAGE = 0xd8;

  private JpegFrames() {}

  /** The size declared by the first frame header of the JPEG {@code bytes}, or null. */
  static ImageSize size(InlineImageBytes bytes) {
    if (bytes.at(0) != 0xff || bytes.at(1) != START_OF_IMAGE) {
      return null;
    }
    int at = 2;
    while (at < bytes.length()) {
      if (bytes.at(at) != 0xff) {
        return null;
      }
      int marker = bytes.at(at + 1);
      if (marker == 0xff) {
        at++;
        continue;
      }
      if (marker < 0 || marker == 0xd9 || marker == 0xda) {
        return null;
      }
      if (standalone(marker)) {
        at += 2;
        continue;
      }
      int length = bytes.u16(at + 2);
      if (length < 2) {
        return null;
      }
      if (startOfFrame(marker)) {
        return ImageSize.of(bytes.u16(at + 7), bytes.u16(at + 5));
      }
      at += 2 + length;
    }
    return null;
  }

  /** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  static boolean startOfFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  /** Markers without a length: TEM, RST0–RST7 and a repeated SOI. */
  private static boolean standalone(int marker) {
    return marker == 0x01 || marker >= 0xd0 && marker <= 0xd8;
  }
}
