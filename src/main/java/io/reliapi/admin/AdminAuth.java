package io.reliapi.admin;

import io.reliapi.pipeline.Caller;
import io.reliapi.server.PresentedKey;
import io.reliapi.server.Snapshot;
import io.reliapi.time.Clock;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Who an admin request comes from: an admin key ({@code Authorization: Bearer} or {@code X-API-Key}), or
 * the session cookie the status page got for a key given once as {@code /ui?key=…}. Client keys never
 * match. An admin is named by its key's index in {@code admin.keys_env} ({@code key[0]}), never by the key.
 * A session lives {@value #SESSION_HOURS} hours and ends early when its key is removed by a reload or the admin
 * signs out.
 */
final class AdminAuth {
  static final String COOKIE = "reliapi_admin";
  static final long SESSION_HOURS = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  AdminAuth(Clock clock) {
    this.clock = clock;
  }

  /** Returns the admin behind the request's key or session cookie, or empty. */
  Optional<String> admin(HttpServerRequest request, Snapshot snapshot) {
    if (!snapshot.config().admin().enabled()) {
      return Optional.empty();
    }
    PresentedKey key = PresentedKey.of(request);
    if (key.offered()) {
      return snapshot.adminKeys().authenticate(key.apiKey(), key.authorization()).map(Caller::name);
    }
    Cookie cookie = request.getCookie(COOKIE);
    Session session = cookie == null ? null : sessions.get(cookie.getValue());
    if (session == null) {
      return Optional.empty();
    }
    if (session.expiresAtMillis() < clock.epochMillis()) {
      sessions.remove(cookie.getValue());
      return Optional.empty();
    }
    return byKey(session.key(), snapshot);
  }

  /** Returns the admin whose key is {@code key}, or empty. */
  Optional<String> byKey(String key, Snapshot snapshot) {
    if (!snapshot.config().admin().enabled() || key == null || key.isEmpty()) {
      return Optional.empty();
    }
    return snapshot.adminKeys().authenticate(key, null).map(Caller::name);
  }

  /**
   * Opens a session for {@code key} and sets its cookie for {@code /ui} and for {@code /admin}: HttpOnly,
   * SameSite=Strict, and Secure when the browser came over HTTPS ({@link HttpsOrigin}).
   */
  void startSession(HttpServerRequest request, String key) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    long expires = clock.epochMillis() + TimeUnit.HOURS.toMillis(SESSION_HOURS);
    sessions.values().removeIf(s -> s.expiresAtMillis() < clock.epochMillis());
    sessions.put(token, new Session(key, expires));
    boolean https = HttpsOrigin.of(request.isSSL(), request.getHeader("X-Forwarded-Proto"),
        request.getHeader("Forwarded"));
    for (String path : new String[] {"/ui", "/admin"}) {
      request.response().addCookie(Cookie.cookie(COOKIE, token).setPath(path).setHttpOnly(true).setSecure(https)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(TimeUnit.HOURS.toSeconds(SESSION_HOURS)));
    }
  }

  /**
   * Ends the request's session, if it has one, here on the gateway (a copy of the cookie kept elsewhere opens nothing
   * any more), and tells the browser to drop both its cookies.
   */
  void endSession(HttpServerRequest request) {
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie != null) {
      sessions.remove(cookie.getValue());
    }
    for (String path : new String[] {"/ui", "/admin"}) {
      request.response().addCookie(Cookie.cookie(COOKIE, "").setPath(path).setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }
  }

  private record Session(String key, long expiresAtMillis) {}
}
