package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.HeldBytes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** Reads a reply body into memory, for answers that arrive as a stream but are wanted whole. */
public final class Bodies {
  private Bodies() {}

  /**
   * Reads {@code body} up to {@code max} bytes; a break fails with its own error (a stall, a broken stream), or
   * NETWORK_ERROR. Past the limit it either keeps the first {@code max} bytes and
   * resets the source ({@code truncate}, enough to read an error), or fails with UPSTREAM_RESPONSE_TOO_LARGE.
   */
  public static Future<Buffer> read(Body body, long max, boolean truncate) {
    return read(body, max, truncate, HeldBytes.untracked());
  }

  /**
   * Reads {@code body} as {@link #read(Body, long, boolean)} does, each chunk taken from {@code held}, the
   * request's share of the memory budget, as it arrives; a chunk it cannot take fails with OVERLOADED.
   */
  public static Future<Buffer> read(Body body, long max, boolean truncate, HeldBytes held) {
    if (body instanceof Body.Bytes bytes) {
      return Future.succeededFuture(bytes.bytes());
    }
    Body.Stream stream = (Body.Stream) body;
    Promise<Buffer> result = Promise.promise();
    Buffer whole = Buffer.buffer();
    stream.source().handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      if (whole.length() + chunk.length() > max) {
        stream.abort().run();
        if (truncate) {
          whole.appendBuffer(chunk, 0, (int) (max - whole.length()));
          result.tryComplete(whole);
        } else {
          result.tryFail(GatewayException.afterSend(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
              "The upstream response is larger than the gateway's limit."));
        }
        return;
      }
      if (!held.take(chunk.length())) {
        stream.abort().run();
        result.tryFail(held.shedAnswer());
        return;
      }
      whole.appendBuffer(chunk);
    });
    stream.source().exceptionHandler(e -> result.tryFail(e instanceof GatewayException known ? known
        : GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The upstream connection failed during the request.")));
    stream.source().endHandler(v -> result.tryComplete(whole));
    stream.source().resume();
    return result.future();
  }
}
