package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body into memory, refusing it as soon as it passes the size limit. */
final class InboundBody {
  private InboundBody() {}

  /** Returns the declared Content-Length, -1 when absent, or fails on a malformed one. */
  static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader("content-length");
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.trim());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw GatewayException.of(ErrorCode.INVALID_REQUEST, "Content-Length is not a valid number.");
    }
  }

  static GatewayException tooLarge(long max) {
    return GatewayException.of(ErrorCode.PAYLOAD_TOO_LARGE,
        "The request body is larger than the limit of " + max + " bytes.");
  }

  /** Reads the whole body of a paused request, failing with PAYLOAD_TOO_LARGE past {@code max} bytes. */
  static Future<Buffer> read(HttpServerRequest request, long max) {
    long declared = declaredLength(request);
    if (declared > max) {
      return Future.failedFuture(tooLarge(max));
    }
    Promise<Buffer> result = Promise.promise();
    Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 256);
    request.handler(chunk -> {
      if (body.length() + chunk.length() > max) {
        request.pause();
        result.tryFail(tooLarge(max));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(e -> result.tryFail(
        GatewayException.of(ErrorCode.INVALID_REQUEST, "The request body could not be read.")));
    request.endHandler(v -> result.tryComplete(body));
    request.resume();
    return result.future();
  }
}
