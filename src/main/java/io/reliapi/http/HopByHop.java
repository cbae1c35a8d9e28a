package io.reliapi.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The header fields one hop must not pass to the next (RFC 9110 §7.6.1): the fixed hop-by-hop set and every field
 * the {@code Connection} header names. One rule, here, for what the gateway strips on the way out and for what the
 * cache key and the idempotency fingerprint count as forwarded: they count only what reaches the upstream.
 */
public final class HopByHop {
  private static final Set<String> FIXED = HeaderNames.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      "proxy-authorization", "proxy-authenticate", "http2-settings");
  /** The test of most requests and responses (no field named in {@code Connection}): made once, not per call. */
  private static final Predicate<String> FIXED_ONLY = FIXED::contains;

  private HopByHop() {}

  /** Returns a test, by name in any case, of the fields of {@code headers} that stop at this hop. */
  public static Predicate<String> of(Headers headers) {
    Set<String> named = connectionNamed(headers);
    return named.isEmpty() ? FIXED_ONLY : name -> FIXED.contains(name) || named.contains(name);
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
