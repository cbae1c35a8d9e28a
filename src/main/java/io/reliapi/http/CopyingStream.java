package io.reliapi.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream that passes every chunk of its source on unchanged and keeps a copy of them, up to a
 * limit. Flow control (pause, resume, fetch) goes straight to the source. Used on the source's event loop
 * only.
 */
final class CopyingStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private final Promise<Buffer> bytes = Promise.promise();
  private Buffer copy = Buffer.buffer();
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  CopyingStream(ReadStream<Buffer> source, long maxBytes) {
    this.source = source;
    this.maxBytes = maxBytes;
    // Watched from the start, so a break is seen even before anyone reads.
    source.exceptionHandler(this::broke);
    source.endHandler(this::ended);
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
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      keep(chunk);
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  private void keep(Buffer chunk) {
    if (copy == null) {
      return;
    }
    if (copy.length() + (long) chunk.length() > maxBytes) {
      copy = null;
      bytes.tryFail(BodyCopy.TOO_LARGE);
    } else {
      copy.appendBuffer(chunk);
    }
  }

  private void ended(Void ignored) {
    if (copy != null) {
      bytes.tryComplete(copy);
    }
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void broke(Throwable failure) {
    abandon();
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
  }
}
