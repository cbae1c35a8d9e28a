package io.reliapi.server;

import io.reliapi.http.FlowWatchedStream;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request body streamed upstream at the upstream's pace: whoever reads it (the pipe to the upstream) pauses
 * it while the upstream takes no more and resumes it when the upstream drains. Each pause holds the
 * {@link BodyDeadline}, each resume lets it run, so the deadline counts only the time spent waiting for the
 * client. Used on the request's event loop.
 */
final class PacedBody extends FlowWatchedStream {
  private final HttpServerRequest request;
  private final BodyDeadline deadline;
  private boolean invited;

  PacedBody(HttpServerRequest request, BodyDeadline deadline) {
    super(request);
    this.request = request;
    this.deadline = deadline;
  }

  @Override
  protected void paused() {
    deadline.hold();
  }

  @Override
  protected void resumed() {
    wanted();
  }

  @Override
  protected void fetched(long amount) {
    if (amount > 0) {
      wanted();
    }
  }

  /** The upstream asks for the body: the first time, a client waiting for {@code 100 Continue} is invited. */
  private void wanted() {
    if (!invited) {
      invited = true;
      InboundBody.invite(request);
    }
    deadline.release();
  }
}
