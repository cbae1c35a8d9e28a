package io.reliapi.http;

/**
 * What RFC 9110 §5 allows in a header field: a name is a token, a value is visible ASCII, space, tab and
 * obs-text (the octets 0x80–0xFF, as Latin-1 characters). Every other character (a control character such
 * as U+0001, CR, LF, NUL, DEL, or anything above U+00FF, which no header octet can carry) makes a field
 * that an upstream must not receive.
 */
public final class FieldSyntax {
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private FieldSyntax() {}

  /** Returns whether {@code name} is a non-empty token. */
  public static boolean isName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether every character of {@code value} may appear in a field value. */
  public static boolean isValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }
}
