package io.reliapi.http;

import java.util.Locale;
import java.util.Set;

/** What to send to an HTTP upstream: a path below the target's base URL, with query, headers and body. */
public record HttpCall(String method, String pathAndQuery, Headers headers, Body body) {
  /**
   * Header fields through which many upstream frameworks (Rails, Express, Spring, ASP.NET, Google APIs) let a
   * request name another method than its own: a {@code GET} carrying {@code X-HTTP-Method-Override: POST} may
   * execute as a POST there, so the gateway's decisions count the named method too.
   */
  private static final Set<String> METHOD_OVERRIDES =
      HeaderNames.of("x-http-method-override", "x-http-method", "x-method-override");

  /**
   * Returns whether the request is safe to repeat without an idempotency key (RFC 9110 §9.2.2): its method,
   * and every method a method-override header names, is idempotent.
   */
  public boolean idempotentMethod() {
    return idempotent(method) && overridesName(null);
  }

  /**
   * Returns whether the request is a plain GET or HEAD, which the cache may answer and a hedge may copy: no
   * method-override header names another method (the cache key does not hold that header, and a second copy
   * of a request the upstream executes as a POST could act twice).
   */
  public boolean safeMethod() {
    return (method.equals("GET") || method.equals("HEAD")) && overridesName(method);
  }

  /**
   * Returns the methods the request's method-override headers name (trimmed, upper case, in order, each followed by
   * a comma), or null without one: part of what a request is, for the idempotency fingerprint.
   */
  public String overridingMethods() {
    StringBuilder named = null;
    for (int i = 0; i < headers.size(); i++) {
      if (METHOD_OVERRIDES.contains(headers.name(i))) {
        named = named == null ? new StringBuilder() : named;
        named.append(headers.value(i).trim().toUpperCase(Locale.ROOT)).append(',');
      }
    }
    return named == null ? null : named.toString();
  }

  /** Returns whether {@code headers} carry a method-override header, whatever method it names. */
  public static boolean overridesMethod(Headers headers) {
    for (int i = 0; i < headers.size(); i++) {
      if (METHOD_OVERRIDES.contains(headers.name(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether every method-override header names {@code only} (any idempotent method when null); true
   * without one. One walk of the fields, no allocation: this runs for every request, several times.
   */
  private boolean overridesName(String only) {
    for (int i = 0; i < headers.size(); i++) {
      if (METHOD_OVERRIDES.contains(headers.name(i))) {
        String named = headers.value(i).trim().toUpperCase(Locale.ROOT);
        if (only == null ? !idempotent(named) : !named.equals(only)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean idempotent(String method) {
    return switch (method) {
      case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
      default -> false;
    };
  }

  public HttpCall withHeaders(Headers headers) {
    return new HttpCall(method, pathAndQuery, headers, body);
  }
}
