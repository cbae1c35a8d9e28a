package io.reliapi.http;

/** What to send to an HTTP upstream: a path below the target's base URL, with query, headers and body. */
public record HttpCall(String method, String pathAndQuery, Headers headers, Body body) {

  /** Returns whether the method is safe to repeat without an idempotency key (RFC 9110 §9.2.2). */
  public boolean idempotentMethod() {
    return switch (method) {
      case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
      default -> false;
    };
  }

  public HttpCall withHeaders(Headers headers) {
    return new HttpCall(method, pathAndQuery, headers, body);
  }
}
