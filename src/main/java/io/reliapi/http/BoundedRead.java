package io.reliapi.http;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a streamed body into memory up to a bound, each chunk taken from the request's share of the memory budget
 * as it arrives. The one chunk loop of every reader that wants a body whole (an error to read, a refusal to look
 * at); what happens past the bound (cut, fail, go on whole) is the caller's.
 */
public final class BoundedRead {
  private BoundedRead() {}

  /**
   * What was read: the whole body ({@code past} null), or the bytes within the bound and {@code past}, the chunk that
   * would have taken the body beyond it; the source is then paused, its rest unread. Every chunk read, {@code past}
   * too, was taken from the budget: a caller holds it until the reset or passes it on.
   */
  public record Read(Buffer bytes, Buffer past) {
    public boolean whole() {
      return past == null;
    }
  }

  /**
   * Reads {@code stream} up to {@code max} bytes. A chunk the budget cannot take resets the source and fails with
   * OVERLOADED; a break fails with its own error (a stall, a broken stream), or NETWORK_ERROR.
   */
  public static Future<Read> read(Body.Stream stream, long max, HeldBytes held) {
    Promise<Read> result = Promise.promise();
    Buffer whole = Buffer.buffer();
    stream.source().handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      if (!held.take(chunk.length())) {
        // Settled before the reset: the reset fails the source, which must not pass for the answer's own break.
        result.tryFail(held.shedAnswer());
        stream.abort().run();
      } else if (whole.length() + chunk.length() > max) {
        stream.source().pause();
        result.tryComplete(new Read(whole, chunk));
      } else {
        whole.appendBuffer(chunk);
      }
    });
    stream.source().exceptionHandler(e -> result.tryFail(e instanceof GatewayException known ? known
        : GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The upstream connection failed during the request.")));
    stream.source().endHandler(v -> result.tryComplete(new Read(whole, null)));
    stream.source().resume();
    return result.future();
  }
}
