package io.reliapi.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Ends an answer whose body is known whole, saying its length. Vert.x leaves the body of an answer to {@code HEAD}
 * out, and with it the length it would set itself: said here, a {@code HEAD} learns the length a {@code GET} gets.
 */
public final class WholeBody {
  private WholeBody() {}

  public static Future<Void> end(HttpServerResponse response, Buffer body) {
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    return response.end(body);
  }
}
