package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/** Reads a request body into memory, refusing it as soon as it passes the size limit. */
public final class InboundBody {
  /** The most a body's buffer starts with; a body announced larger grows as it actually arrives. */
  static final int INITIAL_CAPACITY_MAX = 16 * 1024;

  private InboundBody() {}

  /** Returns the declared Content-Length, -1 when absent, or fails on a malformed one. */
  public static long declaredLength(HttpServerRequest request) {
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

  /**
   * Returns whether a body may follow the request's head: over HTTP/1.x a Content-Length above 0 or a
   * Transfer-Encoding; over HTTP/2 (no framing headers needed) unless the stream already ended.
   */
  public static boolean mayHaveBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    if (request.getHeader("transfer-encoding") != null) {
      return true;
    }
    String length = request.getHeader("content-length");
    return length != null && !length.trim().equals("0");
  }

  /**
   * Sends {@code 100 Continue} to a client that waits for it before sending its body ({@code Expect: 100-continue},
   * HTTP/1.1), when the gateway starts to read that body: {@link #read} does, after the key and the declared length
   * passed, and a streamed body does when the upstream first asks for it ({@link PacedBody}). A request answered
   * before its body is read (401, 413, an unknown target, an open breaker) never invites it (RFC 9110 §10.1.1).
   */
  public static void invite(HttpServerRequest request) {
    String expect = request.getHeader("Expect");
    if (expect != null && request.version() == HttpVersion.HTTP_1_1 && expect.trim().equalsIgnoreCase("100-continue")
        && !request.isEnded()) {
      request.response().writeContinue();
    }
  }

  static GatewayException tooLarge(long max) {
    return GatewayException.of(ErrorCode.PAYLOAD_TOO_LARGE,
        "The request body is larger than the limit of " + max + " bytes.");
  }

  /** Reads the whole body of a paused request outside the memory budget (a small form of the operator's). */
  public static Future<Buffer> read(HttpServerRequest request, long max) {
    return read(request, max, HeldBytes.untracked());
  }

  /**
   * Reads the whole body of a paused request, failing with PAYLOAD_TOO_LARGE past {@code max} bytes, and with
   * OVERLOADED when {@code held}, the request's share of the memory budget, cannot take the next chunk.
   */
  public static Future<Buffer> read(HttpServerRequest request, long max, HeldBytes held) {
    long declared = declaredLength(request);
    if (declared > max) {
      return Future.failedFuture(tooLarge(max));
    }
    invite(request);
    Promise<Buffer> result = Promise.promise();
    // Grown as bytes arrive, never sized from the declared length: a header alone must not pin memory.
    Buffer body = Buffer.buffer(initialCapacity(declared));
    request.handler(chunk -> {
      if (result.future().isComplete()) {
        return;  // refused already: what still arrives before the pause is dropped, not buffered
      }
      if (body.length() + chunk.length() > max) {
        request.pause();
        result.tryFail(tooLarge(max));
      } else if (!held.take(chunk.length())) {
        request.pause();
        result.tryFail(held.shedBody());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(e -> result.tryFail(MalformedRequests.bodyError(e)));
    request.endHandler(v -> result.tryComplete(body));
    request.resume();
    return result.future();
  }

  /** Returns the buffer to start a body in: its declared length up to a small bound, then it grows. */
  static int initialCapacity(long declared) {
    return (int) Math.max(256, Math.min(declared, INITIAL_CAPACITY_MAX));
  }
}
