package io.reliapi.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream passed on unchanged whose reader's flow control (pause, resume, fetch) is seen on its way to the
 * source: a subclass hears of it through {@link #paused()}, {@link #resumed()} and {@link #fetched(long)}, say to
 * tell the time the reader held the stream from the time it waited for the source. Used on the source's event
 * loop only.
 */
public abstract class FlowWatchedStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;

  protected FlowWatchedStream(ReadStream<Buffer> source) {
    this.source = source;
  }

  /** The reader paused the stream. */
  protected abstract void paused();

  /** The reader resumed the stream. */
  protected abstract void resumed();

  /** The reader asked for {@code amount} more chunks; nothing to hear by default. */
  protected void fetched(long amount) {}

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    source.endHandler(handler);
    return this;
  }

  @Override
  public final ReadStream<Buffer> pause() {
    paused();
    source.pause();
    return this;
  }

  @Override
  public final ReadStream<Buffer> resume() {
    resumed();
    source.resume();
    return this;
  }

  @Override
  public final ReadStream<Buffer> fetch(long amount) {
    fetched(amount);
    source.fetch(amount);
    return this;
  }
}
