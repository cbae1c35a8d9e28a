package io.reliapi.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A stream whose first bytes were already read ({@code prefix}) and whose rest is still in {@code rest}, paused: it
 * gives the prefix first, at the first resume or fetch, then the rest. So a body read in part to look at it can
 * still go on whole. Used on the source's event loop only.
 */
public final class PrefixedStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> rest;
  private Buffer prefix;
  private Handler<Buffer> handler;

  public PrefixedStream(Buffer prefix, ReadStream<Buffer> rest) {
    this.prefix = prefix.length() == 0 ? null : prefix;
    this.rest = rest;
    rest.pause();
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    rest.handler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    rest.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    rest.endHandler(endHandler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    rest.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    givePrefix();
    rest.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    givePrefix();
    rest.fetch(amount);
    return this;
  }

  private void givePrefix() {
    if (prefix != null && handler != null) {
      Buffer first = prefix;
      prefix = null;
      handler.handle(first);
    }
  }
}
