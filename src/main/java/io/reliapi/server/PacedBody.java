package io.reliapi.server;

import io.reliapi.http.FlowWatchedStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed upstream at the upstream's pace: whoever reads it (the pipe to the upstream) pauses
 * it while the upstream takes no more and resumes it when the upstream drains. Each pause holds the
 * {@link BodyDeadline}, each resume lets it run, so the deadline counts only the time spent waiting for the
 * client. Used on the request's event loop.
 */
final class PacedBody extends FlowWatchedStream {
  private final BodyDeadline deadline;

  PacedBody(ReadStream<Buffer> source, BodyDeadline deadline) {
    super(source);
    this.deadline = deadline;
  }

  @Override
  protected void paused() {
    deadline.hold();
  }

  @Override
  protected void resumed() {
    deadline.release();
  }

  @Override
  protected void fetched(long amount) {
    if (amount > 0) {
      deadline.release();
    }
  }
}
