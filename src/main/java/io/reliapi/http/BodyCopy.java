package io.reliapi.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Copies a body into memory while it goes to the client, so a stage can keep what the client received
 * without making the client wait for it: a whole body is copied at once, a stream chunk by chunk as the
 * client reads it. The copy fails, and the client's body is untouched, when the body passes
 * {@code maxBytes}, the memory budget has no room for a streamed chunk's copy (the answer is then not kept, as one
 * too large), or the stream breaks off or is discarded.
 */
public final class BodyCopy {
  static final RuntimeException TOO_LARGE = new NotCopied("the body is larger than the limit");
  static final RuntimeException BROKEN = new NotCopied("the body was not read to its end");

  private BodyCopy() {}

  /** A body to pass on instead of the original, and its bytes once it has been read to its end. */
  public record Copy(Body body, Future<Buffer> bytes) {}

  public static Copy of(Body body, long maxBytes) {
    return of(body, maxBytes, HeldBytes.untracked());
  }

  /** Copies {@code body}; a streamed body's copy takes its bytes from {@code held}, the request's share. */
  public static Copy of(Body body, long maxBytes, HeldBytes held) {
    return switch (body) {
      case Body.Bytes whole -> new Copy(whole, whole.bytes().length() <= maxBytes
          ? Future.succeededFuture(whole.bytes()) : Future.failedFuture(TOO_LARGE));
      case Body.Stream stream -> {
        if (stream.length() > maxBytes) {
          yield new Copy(stream, Future.failedFuture(TOO_LARGE));
        }
        CopyingStream copying = new CopyingStream(stream.source(), maxBytes, held);
        yield new Copy(new Body.Stream(copying, stream.length(), () -> {
          copying.abandon();
          stream.abort().run();
        }), copying.bytes());
      }
    };
  }

  /** Why a body was not copied; stackless, as it is an expected outcome that never reaches a client. */
  static final class NotCopied extends RuntimeException {
    NotCopied(String why) {
      super(why, null, false, false);
    }
  }
}
