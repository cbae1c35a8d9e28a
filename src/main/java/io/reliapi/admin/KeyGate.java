package io.reliapi.admin;

import io.reliapi.server.PresentedKey;
import io.reliapi.time.Clock;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The wrong admin keys an address offers, for the admin API and the status page alike: each is audit-logged,
 * and past a few a minute the address is refused for a while ({@link KeyGuesses}).
 */
final class KeyGate {
  private final KeyGuesses guesses;

  KeyGate(Clock clock) {
    this.guesses = new KeyGuesses(clock);
  }

  /**
   * Returns whether the request is a guess at a key: it offers one and no live session vouches for it (a session's
   * token cannot be guessed, and a proxy in front may add a header of its own to the page's requests).
   */
  static boolean guess(HttpServerRequest request, Optional<AdminAuth.Admin> admin) {
    return !admin.map(AdminAuth.Admin::bySession).orElse(false) && PresentedKey.of(request).offered();
  }

  /** Returns the seconds the request's address is still refused for a {@code guess}; 0 when it is not. */
  long refusedForS(HttpServerRequest request, boolean guess) {
    return guess ? guesses.refusedForS(address(request)) : 0;
  }

  /** Counts and audits a wrong key; the one that gets its address refused is audited as well. */
  void wrongKey(HttpServerRequest request) {
    String address = address(request);
    Audit.action(null, "auth_failed", null, address, "401");
    if (guesses.failed(address)) {
      Audit.action(null, "auth_throttled", null, address, "429 for " + guesses.refusedForS(address) + " s");
    }
  }

  /** The client's address as this gateway sees it: a proxy in front of it is one address for all its clients. */
  private static String address(HttpServerRequest request) {
    var remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }
}
