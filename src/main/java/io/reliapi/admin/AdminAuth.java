package io.reliapi.admin;

import io.reliapi.pipeline.Caller;
import io.reliapi.server.PresentedKey;
import io.reliapi.server.Snapshot;
import io.reliapi.time.Clock;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who an admin request comes from: an admin key ({@code Authorization: Bearer} or {@code X-API-Key}), or else
 * the session cookie the status page got at sign-in (a proxy in front may add a header of its own). Client keys never
 * match. An admin is named by its key's index in {@code admin.keys_env} ({@code key[0]}), never by the key.
 * A session lives {@value #SESSION_HOURS} hours and ends early when its key is removed by a reload or the admin
 * signs out.
 */
final class AdminAuth {
  static final String COOKIE = "reliapi_admin";
  static final long SESSION_HOURS = 12;

  private final Sessions sessions = new Sessions();
  private final Clock clock;

  AdminAuth(Clock clock) {
    this.clock = clock;
  }

  /** An admin, named by its key's index, and whether the session cookie (not a key header) said so. */
  record Admin(String name, boolean bySession) {}

  /**
   * Returns the admin behind the request: the key it offers when that is right, else its live session cookie (so a
   * proxy in front that adds its own bearer token does not shut the page out), else empty.
   */
  Optional<Admin> admin(HttpServerRequest request, Snapshot snapshot) {
    if (!snapshot.config().admin().enabled()) {
      return Optional.empty();
    }
    PresentedKey key = PresentedKey.of(request);
    if (key.offered()) {
      Optional<String> byKey = snapshot.adminKeys().authenticate(key.apiKey(), key.authorization()).map(Caller::name);
      if (byKey.isPresent()) {
        return Optional.of(new Admin(byKey.get(), false));
      }
    }
    // Every cookie of the name counts: one tossed in by a sibling subdomain (Domain=the parent) must not hide ours.
    for (String token : tokens(request)) {
      String sessionKey = sessions.key(token, clock.epochMillis());
      Optional<String> name = sessionKey == null ? Optional.empty() : byKey(sessionKey, snapshot);
      if (name.isPresent()) {
        return Optional.of(new Admin(name.get(), true));
      }
    }
    return Optional.empty();
  }

  /**
   * The values of every {@value #COOKIE} cookie the request sends, read from its {@code Cookie} lines (Vert.x keeps
   * one cookie per name).
   */
  private static List<String> tokens(HttpServerRequest request) {
    List<String> tokens = new ArrayList<>(1);
    for (String line : request.headers().getAll("Cookie")) {
      for (String pair : line.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(COOKIE)) {
          tokens.add(pair.substring(eq + 1).trim());
        }
      }
    }
    return tokens;
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
    long now = clock.epochMillis();
    String token = sessions.open(key, now, now + TimeUnit.HOURS.toMillis(SESSION_HOURS));
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
    for (String token : tokens(request)) {
      sessions.end(token);
    }
    for (String path : new String[] {"/ui", "/admin"}) {
      request.response().addCookie(Cookie.cookie(COOKIE, "").setPath(path).setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }
  }

  /** Ends the sessions whose key {@code snapshot} no longer holds (called on every reload, whatever asked for it). */
  void forgetSessionsWithoutKey(Snapshot snapshot) {
    sessions.keepOnly(key -> byKey(key, snapshot).isPresent());
  }
}
