package io.reliapi.http;

/**
 * Tells whether bytes are JSON's encoding, UTF-8 (RFC 8259 §8.1), strictly (RFC 3629): no overlong form
 * ({@code E0 81 81} for "A"), no encoded surrogate ({@code ED A0 80}), nothing past U+10FFFF, no NUL. A lenient
 * reader takes such bytes for characters another reader of the same bytes does not, and a NUL means UTF-16 or
 * UTF-32 (JSON has no raw NUL), which a parser guesses from the bytes. Hand-written: one pass, no allocation.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** Returns whether {@code bytes} are well-formed UTF-8 holding no NUL. */
  public static boolean isJsonText(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        if (lead == 0) {
          return false;
        }
        i++;
        continue;
      }
      int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
          : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
      if (length == 0 || i + length > bytes.length) {
        return false;
      }
      // The second byte's range is narrower after these leads: it is what rules out overlong forms (E0, F0),
      // surrogates (ED) and code points past U+10FFFF (F4).
      int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
      int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
