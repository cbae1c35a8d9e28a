package io.reliapi.admin;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The status page's sessions: a random token per sign-in, naming the admin key it was opened with, until it expires,
 * is ended, or its key is gone. At most {@value #MAX} are kept (a script signing in with {@code /ui?key=} on every
 * run opens one each time): past that, the one that would expire first goes. Shared by every event loop.
 */
final class Sessions {
  static final int MAX = 1000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byToken = new ConcurrentHashMap<>();

  /** Opens a session for {@code key} until {@code expiresAtMillis}; returns its token. */
  synchronized String open(String key, long nowMillis, long expiresAtMillis) {
    byToken.values().removeIf(s -> s.expiresAtMillis() < nowMillis);
    while (byToken.size() >= MAX) {
      byToken.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().expiresAtMillis()))
          .ifPresent(e -> byToken.remove(e.getKey()));
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    byToken.put(token, new Session(key, expiresAtMillis));
    return token;
  }

  /** Returns the key of the live session {@code token} names, or null (an expired one is forgotten). */
  String key(String token, long nowMillis) {
    Session session = token == null ? null : byToken.get(token);
    if (session == null) {
      return null;
    }
    if (session.expiresAtMillis() < nowMillis) {
      byToken.remove(token);
      return null;
    }
    return session.key();
  }

  void end(String token) {
    byToken.remove(token);
  }

  /** Forgets every session whose key no longer opens anything, so putting the key back brings none back. */
  void keepOnly(Predicate<String> keyStillValid) {
    byToken.values().removeIf(s -> !keyStillValid.test(s.key()));
  }

  int size() {
    return byToken.size();
  }

  private record Session(String key, long expiresAtMillis) {}
}
