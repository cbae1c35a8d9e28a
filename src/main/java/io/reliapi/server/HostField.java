package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;

/**
 * RFC 9112 §3.2: an HTTP/1.1 request without {@code Host}, and any request with more than one {@code Host} line or a
 * value that is no {@code host[:port]}, is answered 400. Two lines that two parsers could pick differently (one took
 * the first, another the last) are the same doubt as two lengths. The gateway routes by path and its own config,
 * never by {@code Host} (nor by the authority of an absolute-form target): the check is about the message, not
 * about where it goes. The messages never quote the value.
 */
final class HostField {
  private HostField() {}

  /** Returns the refusal of the request's {@code Host} lines, or null when they are well-formed. */
  static GatewayException refusal(HttpVersion version, MultiMap headers) {
    String first = headers.get(HttpHeaders.HOST);
    if (first == null) {
      return version != HttpVersion.HTTP_1_1 ? null : GatewayException.of(ErrorCode.INVALID_REQUEST,
          "An HTTP/1.1 request must carry a Host header.");
    }
    if (moreThanOne(headers)) {
      return GatewayException.of(ErrorCode.INVALID_REQUEST, "The request carries more than one Host header.");
    }
    return valid(first) ? null
        : GatewayException.of(ErrorCode.INVALID_REQUEST, "The request's Host header is not a valid host[:port].");
  }

  /**
   * Returns whether the request has more than one {@code Host} line. Every request passes here: Vert.x's headers are a
   * hash map whose {@code getAll} walks the one bucket of {@code Host} (hash compared first, a list of one or two
   * values built), where walking every line compared each name, case-insensitively, with {@code Host}.
   */
  private static boolean moreThanOne(MultiMap headers) {
    return headers.getAll(HttpHeaders.HOST).size() > 1;
  }

  /**
   * Returns whether {@code value} is RFC 3986's {@code host [":" port]}: an IP literal in brackets, or a reg-name
   * (IPv4 included) of unreserved characters, percent-escapes and sub-delims; empty is allowed (RFC 9112 §3.2).
   */
  static boolean valid(String value) {
    int i = 0;
    int n = value.length();
    if (n > 0 && value.charAt(0) == '[') {
      int close = value.indexOf(']');
      if (close < 0 || !literal(value, 1, close)) {
        return false;
      }
      i = close + 1;
    } else {
      while (i < n && value.charAt(i) != ':') {
        char c = value.charAt(i);
        if (c == '%') {
          if (i + 2 >= n || !hex(value.charAt(i + 1)) || !hex(value.charAt(i + 2))) {
            return false;
          }
          i += 3;
          continue;
        }
        if (!regName(c)) {
          return false;
        }
        i++;
      }
    }
    if (i == n) {
      return true;
    }
    if (value.charAt(i) != ':') {
      return false;
    }
    for (int p = i + 1; p < n; p++) {
      if (value.charAt(p) < '0' || value.charAt(p) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Between the brackets: an IPv6 address or IPvFuture, read loosely (their characters, not their grammar). */
  private static boolean literal(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!regName(value.charAt(i)) && value.charAt(i) != ':') {
        return false;
      }
    }
    return from < to;
  }

  private static boolean regName(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=".indexOf(c) >= 0;
  }

  private static boolean hex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
