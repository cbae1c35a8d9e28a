package io.reliapi.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/**
 * The error for a request the HTTP parser could not read (Vert.x's "invalid request"): a request line or header
 * block over the server's limits, or framing it refuses (a {@code Content-Length} beside {@code Transfer-Encoding},
 * two lengths, a bad chunk size, a line ending it does not accept). No route has seen it, and the parser's own
 * words are not passed on: they may quote what the client sent.
 */
final class MalformedRequests {
  private MalformedRequests() {}

  static GatewayException error(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return GatewayException.of(ErrorCode.URI_TOO_LONG, "The request line is longer than the gateway accepts.");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return GatewayException.of(ErrorCode.HEADER_FIELDS_TOO_LARGE,
          "The request's header fields are larger than the gateway accepts.");
    }
    return GatewayException.of(ErrorCode.INVALID_REQUEST,
        "The request is not well-formed HTTP/1.1 (its framing or a header line could not be read).");
  }
}
