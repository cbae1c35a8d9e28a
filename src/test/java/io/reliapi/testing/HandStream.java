package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body the test drives by hand: it starts paused, and chunks flow only while it is not (emitting into a
 * paused stream fails the test, as a real source would hold the bytes back).
 */
public final class HandStream implements ReadStream<Buffer> {
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean paused = true;

  public boolean paused() {
    return paused;
  }

  public void emit(String chunk) {
    assertThat(paused).as("emitting into a paused stream").isFalse();
    handler.handle(Buffer.buffer(chunk));
  }

  public void end() {
    endHandler.handle(null);
  }

  public void fail() {
    exceptionHandler.handle(new IllegalStateException("reset"));
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
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
    paused = true;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    paused = false;
    return this;
  }
}
