package io.reliapi.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What to send to an HTTP upstream: a path below the target's base URL, with query, headers and body. */
public record HttpCall(String method, String pathAndQuery, Headers headers, Body body) {
  /**
   * Header fields through which many upstream frameworks (Rails, Express, Spring, ASP.NET, Google APIs) let a
   * request name another method than its own: a {@code GET} carrying {@code X-HTTP-Method-Override: POST} may
   * execute as a POST there, so the gateway's decisions count the named method too.
   */
  private static final List<String> METHOD_OVERRIDES = List.of("x-http-method-override", "x-http-method", "x-method-override");

  /**
   * Returns whether the request is safe to repeat without an idempotency key (RFC 9110 §9.2.2): its method,
   * and every method a method-override header names, is idempotent.
   */
  public boolean idempotentMethod() {
    if (!idempotent(method)) {
      return false;
    }
    for (String named : overridingMethods()) {
      if (!idempotent(named)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns whether the request is a plain GET or HEAD, which the cache may answer and a hedge may copy: no
   * method-override header names another method (the cache key does not hold that header, and a second copy
   * of a request the upstream executes as a POST could act twice).
   */
  public boolean safeMethod() {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false;
    }
    for (String named : overridingMethods()) {
      if (!named.equals(method)) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether {@code headers} carry a method-override header, whatever method it names. */
  public static boolean overridesMethod(Headers headers) {
    for (String name : METHOD_OVERRIDES) {
      if (headers.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private List<String> overridingMethods() {
    if (headers.size() == 0) {
      return List.of();
    }
    List<String> named = new ArrayList<>(0);
    for (String name : METHOD_OVERRIDES) {
      for (String value : headers.all(name)) {
        named.add(value.trim().toUpperCase(Locale.ROOT));
      }
    }
    return named;
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
