package io.reliapi.llm.attempt;

import io.reliapi.config.LlmFaultRules;
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
 * The time limits of one streamed attempt, counted from the provider's response headers: its first content
 * token within the target's {@code llm.first_token_timeout_ms} (unset: no silence before it longer than
 * {@code timeout_ms}, as between events); no silence between events after it longer than
 * {@code llm.stream_idle_timeout_ms} (unset: {@code timeout_ms}); still running at the target's
 * {@code stream_max_s}, else the request's deadline, it fails. Each is capped by the deadline left. All are
 * I/O timeouts of the stream's own connection and run in real time.
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
    long leftMs = Math.max(1, context.msLeft(now));
    LlmFaultRules rules = target.llm().map(llm -> llm.faults()).orElse(LlmFaultRules.DEFAULTS);
    long idleMs = Math.min(rules.streamIdleTimeoutMs().orElse(target.timeoutMs()), leftMs);
    if (rules.firstTokenTimeoutMs().isPresent()) {
      stream.idleTimeouts(vertx.owner(), 0, idleMs);
      long firstTokenMs = Math.min(rules.firstTokenTimeoutMs().get(), leftMs);
      long timer = vertx.owner().setTimer(firstTokenMs, id -> stream.fail(GatewayException.afterSend(
          ErrorCode.UPSTREAM_TIMEOUT, "The provider sent no first token within the target's first_token_timeout_ms.")));
      Runnable cancel = () -> vertx.owner().cancelTimer(timer);
      stream.onFirstToken(cancel);
      stream.onTerminal(cancel);
    } else {
      stream.idleTimeouts(vertx.owner(), Math.min(target.timeoutMs(), leftMs), idleMs);
    }
    long streamLeftMs = TimeUnit.NANOSECONDS.toMillis(
        target.streamEndNanos(context.startNanos(), context.deadlineNanos()) - now);
    long timer = vertx.owner().setTimer(Math.max(1, streamLeftMs), id -> stream.fail(GatewayException.afterSend(
        ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream did not finish within its time limit.")));
    stream.onTerminal(() -> vertx.owner().cancelTimer(timer));
  }
}
