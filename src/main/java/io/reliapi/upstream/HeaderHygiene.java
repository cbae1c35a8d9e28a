package io.reliapi.upstream;

import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes the header fields one hop must not pass to the next (RFC 9110 §7.6.1): the fixed hop-by-hop
 * set, every field the {@code Connection} header names, and the framing the gateway redoes itself.
 */
public final class HeaderHygiene {
  private static final Set<String> HOP_BY_HOP = HeaderNames.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      "proxy-authorization", "proxy-authenticate", "http2-settings");
  /** Also never sent upstream: the gateway sets the authority and re-frames the body itself. */
  private static final Set<String> REFRAMED = HeaderNames.of("host", "content-length", "expect");

  private HeaderHygiene() {}

  /** Returns the headers fit to send upstream: no hop-by-hop fields, no Host, no Content-Length. */
  public static Headers forUpstream(Headers headers) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    copyForUpstream(headers, out);
    return Headers.from(out);
  }

  /** Adds the headers fit to send upstream to {@code out}, without an intermediate copy. */
  public static void copyForUpstream(Headers headers, MultiMap out) {
    Set<String> named = connectionNamed(headers);
    headers.forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name) && !REFRAMED.contains(name) && !named.contains(name)) {
        out.add(name, value);
      }
    });
  }

  /** Returns the upstream response headers fit to pass to the client; Content-Length stays. */
  public static Headers forClient(Headers headers) {
    Set<String> named = connectionNamed(headers);
    return headers.withoutNames(n -> HOP_BY_HOP.contains(n) || named.contains(n));
  }

  /**
   * Returns the extra field names listed in {@code Connection}, over all its lines; the usual lone
   * {@code keep-alive} or {@code close} names none.
   */
  private static Set<String> connectionNamed(Headers headers) {
    List<String> lines = headers.all("connection");
    if (lines.isEmpty() || lines.size() == 1 && isConnectionOption(lines.get(0).trim())) {
      return Set.of();
    }
    List<String> named = new ArrayList<>();
    for (String line : lines) {
      for (String token : line.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !isConnectionOption(name)) {
          named.add(name);
        }
      }
    }
    return HeaderNames.of(named.toArray(String[]::new));
  }

  private static boolean isConnectionOption(String token) {
    return token.equalsIgnoreCase("keep-alive") || token.equalsIgnoreCase("close");
  }
}
