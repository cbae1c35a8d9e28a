package io.reliapi.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream that passes every chunk of its source on unchanged and keeps a copy of them, up to a
 * limit and while the request's share of the memory budget takes them. Flow control (pause, resume, fetch) goes straight to the source. Used on the source's event loop
 * only.
 */
final class CopyingStream extends EndWatchedStream {
  private final long maxBytes;
  private final HeldBytes held;
  private final Promise<Buffer> bytes = Promise.promise();
  private Buffer copy = Buffer.buffer();

  CopyingStream(ReadStream<Buffer> source, long maxBytes, HeldBytes held) {
    super(source);
    this.maxBytes = maxBytes;
    this.held = held;
  }

  Future<Buffer> bytes() {
    return bytes.future();
  }

  /** Gives up the copy: the stream will not be read to its end. */
  void abandon() {
    copy = null;
    bytes.tryFail(BodyCopy.BROKEN);
  }

  @Override
  protected void chunk(Buffer chunk) {
    if (copy == null) {
      return;
    }
    if (copy.length() + (long) chunk.length() > maxBytes || !held.take(chunk.length())) {
      copy = null;
      bytes.tryFail(BodyCopy.TOO_LARGE);
    } else {
      copy.appendBuffer(chunk);
    }
  }

  @Override
  protected void ended() {
    if (copy != null) {
      bytes.tryComplete(copy);
    }
  }

  @Override
  protected void broke(Throwable failure) {
    abandon();
  }
}
