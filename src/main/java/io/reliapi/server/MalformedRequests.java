package io.reliapi.server;

import io.netty.handler.codec.http.InvalidChunkTerminationException;
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

  /**
   * Returns whether a request's {@code Transfer-Encoding} names a coding besides {@code chunked} (the parser takes
   * {@code gzip, chunked} and reads it as chunked): the gateway decodes no other coding, and sending the coded bytes
   * on as a plain body would hand the upstream something other than what the client sent. RFC 9112 §6.1 would
   * answer 501; the gateway's closed set of codes says 400.
   */
  static boolean codedBeyondChunked(String transferEncoding) {
    return transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase("chunked");
  }

  static GatewayException codingRefused() {
    return GatewayException.of(ErrorCode.INVALID_REQUEST,
        "The gateway accepts no transfer coding but chunked; send the body with Content-Encoding instead.");
  }

  /**
   * The error for a request body the parser could not read, saying what was wrong with its chunked framing (never
   * quoting its bytes).
   */
  static GatewayException bodyError(Throwable cause) {
    String what;
    if (cause instanceof InvalidChunkTerminationException) {
      what = "a chunk's data does not end with CRLF where its size says it ends";
    } else if (cause instanceof NumberFormatException) {
      what = "a chunk size is not a hexadecimal number followed by CRLF or a chunk extension";
    } else {
      return GatewayException.of(ErrorCode.INVALID_REQUEST, "The request body could not be read.");
    }
    return GatewayException.of(ErrorCode.INVALID_REQUEST, "The request body could not be read: " + what + ".");
  }

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
