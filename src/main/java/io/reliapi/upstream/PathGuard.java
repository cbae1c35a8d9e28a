package io.reliapi.upstream;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a client-supplied path below its target's base URL (SPEC §2.2): no scheme or host, no leading
 * {@code //}, no {@code .} or {@code ..} segments (also with {@code ;} parameters: {@code ..;x}), no
 * backslash, CR, LF or NUL, checked on the raw text and
 * again after each of up to three rounds of percent-decoding, so {@code %2e%2e} and {@code %252e} are caught.
 * The path that passes is forwarded byte for byte; the guard never rewrites one path into another.
 */
public final class PathGuard {
  private static final int DECODE_ROUNDS = 3;

  private PathGuard() {}

  /** Checks a path with optional {@code ?query}; returns it unchanged or throws INVALID_REQUEST. */
  public static String check(String pathAndQuery) {
    if (pathAndQuery.isEmpty()) {
      return pathAndQuery;
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    if (!path.startsWith("/")) {
      throw reject("path must start with '/'");
    }
    if (path.startsWith("//")) {
      throw reject("path must not start with '//'");
    }
    if (pathAndQuery.indexOf('#') >= 0) {
      throw reject("path must not contain a fragment");
    }
    String current = path;
    for (int round = 0; round <= DECODE_ROUNDS; round++) {
      checkDecodedPath(current);
      String next = decode(current);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    if (hasControl(query) || hasControl(decode(query))) {
      throw reject("query must not contain control characters");
    }
    return pathAndQuery;
  }

  private static void checkDecodedPath(String path) {
    if (hasControl(path)) {
      throw reject("path must not contain control characters");
    }
    if (path.indexOf('\\') >= 0) {
      throw reject("path must not contain a backslash");
    }
    if (path.contains("://")) {
      throw reject("path must not contain a scheme or host");
    }
    if (path.startsWith("//")) {
      throw reject("path must not start with '//'");
    }
    if (hasDotSegment(path)) {
      throw reject("path must not contain '.' or '..' segments");
    }
  }

  /**
   * Returns whether a segment between slashes (or the ends) is {@code .} or {@code ..}, also with path
   * parameters after it ({@code ..;x}): servers that drop {@code ;} parameters (Tomcat, Jetty, Spring) read
   * such a segment as a dot segment.
   */
  private static boolean hasDotSegment(String path) {
    int start = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      int parameters = path.indexOf(';', start);
      int length = (parameters >= 0 && parameters < end ? parameters : end) - start;
      if ((length == 1 || length == 2) && path.charAt(start) == '.' && (length == 1 || path.charAt(start + 1) == '.')) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** Decodes %XX escapes only ({@code +} stays, as in a path); a malformed escape is rejected. */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      throw reject("malformed percent-encoding");
    }
  }

  /**
   * Percent-encodes the characters that may not appear in a request line (space, quotes, non-ASCII as
   * UTF-8, ...) and leaves valid {@code %XX} escapes and URI delimiters alone, so the meaning is unchanged.
   */
  public static String encodeUnsafe(String pathAndQuery) {
    StringBuilder out = null;
    byte[] bytes = pathAndQuery.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean keep = b > 0x20 && b < 0x7f && "\"<>\\^`{|}".indexOf(b) < 0
          && (b != '%' || isEscape(bytes, i));
      if (!keep && out == null) {
        out = new StringBuilder(bytes.length + 16);
        out.append(new String(bytes, 0, i, StandardCharsets.UTF_8));
      }
      if (out != null) {
        if (keep) {
          out.append((char) b);
        } else {
          out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
      }
    }
    return out == null ? pathAndQuery : out.toString();
  }

  private static boolean isEscape(byte[] bytes, int i) {
    return i + 2 < bytes.length && Character.digit(bytes[i + 1], 16) >= 0 && Character.digit(bytes[i + 2], 16) >= 0;
  }

  private static GatewayException reject(String why) {
    return GatewayException.of(ErrorCode.INVALID_REQUEST, "Unsafe path: " + why + ".");
  }
}
