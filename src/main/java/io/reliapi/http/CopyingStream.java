package io.reliapi.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream that passes every chunk of its source on unchanged and keeps a copy of them, up to a
 * limit and while the memory budget takes them. The copy gives its bytes back when it is done: handed on whole
 * (then the store keeping it bounds it) or given up. Its request may have ended by then: a request carried on after
 * its client left reads its answer to the end to keep it. Flow control (pause, resume, fetch) goes straight to the source. Used on the source's event loop
 * only.
 */
final class CopyingStream extends EndWatchedStream {
  private final long maxBytes;
  private final HeldBytes held;
  private final Promise<Buffer> bytes = Promise.promise();
  private Buffer copy = Buffer.buffer();
  private long taken;

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
    giveUp(BodyCopy.BROKEN);
  }

  private void giveUp(RuntimeException why) {
    copy = null;
    held.giveBack(taken);
    taken = 0;
    bytes.tryFail(why);
  }

  @Override
  protected void chunk(Buffer chunk) {
    if (copy == null) {
      return;
    }
    if (copy.length() + (long) chunk.length() > maxBytes || !held.takeUntilGivenBack(chunk.length())) {
      giveUp(BodyCopy.TOO_LARGE);
    } else {
      taken += chunk.length();
      copy.appendBuffer(chunk);
    }
  }

  @Override
  protected void ended() {
    if (copy != null) {
      held.giveBack(taken);
      taken = 0;
      bytes.tryComplete(copy);
    }
  }

  @Override
  protected void broke(Throwable failure) {
    abandon();
  }
}
