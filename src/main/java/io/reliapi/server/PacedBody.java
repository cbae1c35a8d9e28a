package io.reliapi.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed upstream at the upstream's pace: whoever reads it (the pipe to the upstream) pauses
 * it while the upstream takes no more and resumes it when the upstream drains. Each pause holds the
 * {@link BodyDeadline}, each resume lets it run, so the deadline counts only the time spent waiting for the
 * client. Used on the request's event loop.
 */
final class PacedBody implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final BodyDeadline deadline;

  PacedBody(ReadStream<Buffer> source, BodyDeadline deadline) {
    this.source = source;
    this.deadline = deadline;
  }

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
  public ReadStream<Buffer> pause() {
    deadline.hold();
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    deadline.release();
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount > 0) {
      deadline.release();
    }
    source.fetch(amount);
    return this;
  }
}
