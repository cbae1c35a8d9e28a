package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.BoundedRead;
import io.reliapi.http.HeldBytes;
import io.vertx.core.Future;
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
    return BoundedRead.read(stream, max, held).compose(read -> {
      if (read.whole()) {
        return Future.succeededFuture(read.bytes());
      }
      // Settled before the reset, which fails the source: a cut error body must not read as a broken connection
      // (a retryable net fault, found in review: a 401 over 64 KiB was retried on a sibling).
      int kept = (int) (max - read.bytes().length());
      Future<Buffer> settled = truncate
          ? Future.succeededFuture(read.bytes().appendBuffer(read.past(), 0, kept))
          : Future.failedFuture(GatewayException.afterSend(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
              "The upstream response is larger than the gateway's limit."));
      held.freed(truncate ? read.past().length() - kept : read.past().length());
      stream.abort().run();
      return settled;
    });
  }
}
