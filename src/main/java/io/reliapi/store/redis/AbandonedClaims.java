package io.reliapi.store.redis;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claims this instance sent whose answer never came back (the command ran out of time or its
 * connection broke). Their requests failed without executing, yet Redis may have made the claim after the
 * gateway gave up, leaving a key held by a token nobody uses. While such a claim may exist, a later claim
 * of the same key from this instance replaces it at once, and the store frees it as soon as it can.
 * Bounded: past {@link #MAX} the oldest are forgotten (their claims then end with their lease).
 */
final class AbandonedClaims {
  static final int MAX = 10_000;

  private final LinkedHashMap<String, Abandoned> byScope = new LinkedHashMap<>();

  /** Notes that the claim of {@code token} on {@code scope} may exist until {@code untilMillis}. */
  synchronized void add(String scope, String token, long untilMillis) {
    byScope.put(scope, new Abandoned(token, untilMillis));
    if (byScope.size() > MAX) {
      Iterator<Map.Entry<String, Abandoned>> oldest = byScope.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Returns the token of an abandoned claim on {@code scope} that may still exist, or "". */
  synchronized String tokenOf(String scope, long nowMillis) {
    Abandoned abandoned = byScope.get(scope);
    if (abandoned == null) {
      return "";
    }
    if (abandoned.untilMillis() <= nowMillis) {
      byScope.remove(scope);
      return "";
    }
    return abandoned.token();
  }

  /** Forgets the claim of {@code token} on {@code scope}: it is gone, or it never was. */
  synchronized void forget(String scope, String token) {
    byScope.computeIfPresent(scope, (key, abandoned) -> abandoned.token().equals(token) ? null : abandoned);
  }

  synchronized int size() {
    return byScope.size();
  }

  private record Abandoned(String token, long untilMillis) {}
}
