package io.reliapi.upstream;

import io.reliapi.http.Headers;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Removes the header fields one hop must not pass to the next (RFC 9110 §7.6.1): the fixed hop-by-hop
 * set, every field the {@code Connection} header names, and the framing the gateway redoes itself.
 */
public final class HeaderHygiene {
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      "proxy-authorization", "proxy-authenticate", "http2-settings");

  private HeaderHygiene() {}

  /** Returns the headers fit to send upstream: no hop-by-hop fields, no Host, no Content-Length. */
  public static Headers forUpstream(Headers headers) {
    Set<String> named = connectionNamed(headers);
    return headers.without(n -> HOP_BY_HOP.contains(n) || named.contains(n)
        || n.equals("host") || n.equals("content-length") || n.equals("expect"));
  }

  /** Returns the upstream response headers fit to pass to the client; Content-Length stays. */
  public static Headers forClient(Headers headers) {
    Set<String> named = connectionNamed(headers);
    return headers.without(n -> HOP_BY_HOP.contains(n) || named.contains(n));
  }

  private static Set<String> connectionNamed(Headers headers) {
    var values = headers.all("connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    Set<String> named = new HashSet<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    return named;
  }
}
