package io.reliapi.server;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids (SPEC §3.6): a sane client-sent id is kept, anything else is replaced by {@code req_} + 16 hex. */
public final class RequestIds {
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static String from(String incoming) {
    return incoming != null && sane(incoming) ? incoming : generate();
  }

  static boolean sane(String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String generate() {
    long bits = ThreadLocalRandom.current().nextLong();
    char[] out = new char[20];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    for (int i = 0; i < 16; i++) {
      out[4 + i] = HEX[(int) (bits >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }
}
