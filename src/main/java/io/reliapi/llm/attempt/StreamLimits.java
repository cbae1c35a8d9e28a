package io.reliapi.llm.attempt;

import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatStream;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The time limits of one streamed attempt: it fails when the provider sends nothing for the target's
 * {@code timeout_ms} (a stall), or is still running at the target's {@code stream_max_s}, else the request's
 * deadline. Both are I/O timeouts of the stream's own connection and run in real time.
 */
final class StreamLimits {
  private final Clock clock;

  StreamLimits(Clock clock) {
    this.clock = clock;
  }

  void apply(ChatStream stream, TargetConfig target, RequestContext context) {
    Context vertx = Vertx.currentContext();
    if (vertx == null) {
      return;
    }
    long now = clock.nanoTime();
    long leftMs = TimeUnit.NANOSECONDS.toMillis(context.deadlineNanos() - now);
    stream.idleTimeout(vertx.owner(), Math.max(1, Math.min(target.timeoutMs(), leftMs)));
    long streamLeftMs = TimeUnit.NANOSECONDS.toMillis(
        target.streamEndNanos(context.startNanos(), context.deadlineNanos()) - now);
    long timer = vertx.owner().setTimer(Math.max(1, streamLeftMs), id -> stream.fail(GatewayException.afterSend(
        ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream did not finish within its time limit.")));
    stream.onTerminal(() -> vertx.owner().cancelTimer(timer));
  }
}
