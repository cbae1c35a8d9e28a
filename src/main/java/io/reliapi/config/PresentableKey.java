package io.reliapi.config;

/**
 * Whether a gateway key (a client's, the ops key, an admin key) is one a request can present as it is. A request's
 * key is read from a header whose value has its surrounding whitespace taken off, whose bytes are read one a character
 * (ISO-8859-1), and which cannot hold a line break: a key with whitespace at an end could never match, so its client
 * would get 401 forever, and two keys that differ only there would both be presented as the same key, so the holder
 * of one would be the other client, spending its budget and rate limit. Keys read from the environment are trimmed
 * first ({@link Node#secretFromEnv}: a file's final newline), so two such keys are refused as one shared key. A
 * key with a control character or a character beyond ASCII could not be sent alike by any client either.
 */
final class PresentableKey {
  private PresentableKey() {}

  /** Returns why no request could present {@code key}, or null when one can. */
  static String problem(String key) {
    if (key.isEmpty()) {
      return null;
    }
    if (isBlank(key.charAt(0)) || isBlank(key.charAt(key.length() - 1))) {
      return "holds a key that begins or ends with whitespace (a final newline?), which no request can present; "
          + "remove it";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c > 0x7e || c < 0x20 && c != '\t') {
        return "holds a key with a control character or a character beyond ASCII, which no request can present "
            + "alike; use printable ASCII";
      }
    }
    return null;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
