package io.reliapi.server;

import io.reliapi.http.HeaderLines;
import io.reliapi.policy.access.AccessKey;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The credential headers a request presents a key in, {@code X-API-Key} and {@code Authorization}, each read over
 * all its lines: null without the header, and the empty string, which presents no key, when its lines disagree.
 * Which of two keys a request meant would otherwise depend on the reader (the gateway read the first line; a proxy
 * in front may have appended the second). Which header wins and what a bearer token is stay with
 * {@link io.reliapi.policy.access.AccessKey}; every reader of a client, ops or admin key reads the request here.
 */
public record PresentedKey(String apiKey, String authorization) {
  public static PresentedKey of(HttpServerRequest request) {
    return of(request.headers());
  }

  static PresentedKey of(MultiMap headers) {
    return new PresentedKey(credential(headers.getAll("X-API-Key")), credential(headers.getAll("Authorization")));
  }

  /**
   * Returns whether the request offers a key: {@code X-API-Key}, whatever it holds, or {@code Authorization} with a
   * bearer token (or lines that disagree). Another scheme offers none: a browser behind a Basic-auth proxy sends the
   * proxy's credentials with every request, which are no guess at a gateway key.
   */
  public boolean offered() {
    return apiKey != null || authorization != null && (authorization.isEmpty() || AccessKey.isBearer(authorization));
  }

  private static String credential(List<String> lines) {
    if (lines.isEmpty()) {
      return null;
    }
    return HeaderLines.agree(lines, UnaryOperator.identity()) ? lines.get(0) : "";
  }
}
