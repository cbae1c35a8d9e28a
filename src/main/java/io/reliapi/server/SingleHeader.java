package io.reliapi.server;

import io.reliapi.http.HeaderLines;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * A request header that steers the gateway (which target serves an LLM request, when its stream is committed), read
 * over all its lines. Two lines with different values are refused rather than one of them chosen: which one a request
 * meant would depend on the reader, and a proxy in front that appends its own line to pin a value would be walked
 * around by the client's first line ({@link HeaderLines}, as for credentials and idempotency keys).
 */
public final class SingleHeader {
  private SingleHeader() {}

  /** Returns the target the client named in {@code X-ReliAPI-Target}, or null. */
  public static String target(HttpServerRequest request) {
    return of(request, "X-ReliAPI-Target");
  }

  /** Returns the value of {@code name} (null without one); lines with different values are INVALID_REQUEST. */
  public static String of(HttpServerRequest request, String name) {
    List<String> lines = request.headers().getAll(name);
    if (lines.isEmpty()) {
      return null;
    }
    if (!HeaderLines.agree(lines, String::trim)) {
      throw Fields.invalid("Header " + name + " is given more than once, with different values.");
    }
    return lines.get(0);
  }
}
