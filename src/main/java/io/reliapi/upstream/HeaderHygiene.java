package io.reliapi.upstream;

import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.reliapi.http.HopByHop;
import io.vertx.core.MultiMap;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Removes the header fields one hop must not pass to the next ({@link HopByHop}: the fixed hop-by-hop set and
 * every field the {@code Connection} header names), and the framing the gateway redoes itself.
 */
public final class HeaderHygiene {
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
    Predicate<String> hop = HopByHop.of(headers);
    headers.forEach((name, value) -> {
      if (!hop.test(name) && !REFRAMED.contains(name)) {
        out.add(name, value);
      }
    });
  }

  /** Returns the upstream response headers fit to pass to the client; Content-Length stays. */
  public static Headers forClient(Headers headers) {
    return headers.withoutNames(HopByHop.of(headers));
  }
}
