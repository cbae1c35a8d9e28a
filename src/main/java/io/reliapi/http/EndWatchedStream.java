package io.reliapi.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream passed on unchanged whose chunks, end and failure a subclass hears first, through
 * {@link #chunk(Buffer)}, {@link #ended()} and {@link #broke(Throwable)}. The end and the failure are watched from
 * construction, so they are heard even before anyone reads. Flow control goes straight to the source. Used on the
 * source's event loop only.
 */
public abstract class EndWatchedStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  protected EndWatchedStream(ReadStream<Buffer> source) {
    this.source = source;
    source.endHandler(v -> {
      ended();
      if (endHandler != null) {
        endHandler.handle(v);
      }
    });
    source.exceptionHandler(failure -> {
      broke(failure);
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    });
  }

  /** A chunk is on its way to the reader; nothing to hear by default. */
  protected void chunk(Buffer chunk) {}

  /** The source ended. */
  protected abstract void ended();

  /** The source failed. */
  protected abstract void broke(Throwable failure);

  @Override
  public final ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      chunk(chunk);
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public final ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public final ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public final ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public final ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public final ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }
}
