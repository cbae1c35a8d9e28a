package io.reliapi.policy.route;

import io.reliapi.config.HedgeConfig;
import io.reliapi.llm.ChatRequest;
import io.reliapi.pipeline.Exchange;
import java.util.OptionalLong;

/**
 * Whether an attempt may be hedged and after how long. Only GET and HEAD (no method-override header naming
 * another method), and LLM calls that do not stream
 * when the target's {@code hedge.llm} says so: a second copy of any other request could act twice upstream,
 * idempotency key or not. And never a request with an idempotency key: with {@code forward_header} (or a key
 * the client forwards itself) the upstream would see the key twice at once, and an upstream that enforces
 * keys answers the second copy 409, an answer that could win the race. Pure.
 */
final class HedgePolicy {
  private HedgePolicy() {}

  static boolean hedges(Exchange exchange, HedgeConfig hedge) {
    if (exchange.context().idempotencyKey().isPresent()) {
      return false;
    }
    var chat = exchange.payload(ChatRequest.class);
    if (chat.isPresent()) {
      return hedge.llm() && !chat.get().stream();
    }
    return exchange.call().safeMethod();
  }

  /**
   * Returns how long to wait for the first answer before hedging: {@code after_ms}, or the percentile of
   * {@code latencies}; empty while too few latencies are known to tell.
   */
  static OptionalLong delayMs(HedgeConfig hedge, LatencyWindow latencies) {
    if (hedge.afterMs().isPresent()) {
      return OptionalLong.of(hedge.afterMs().get());
    }
    OptionalLong percentile = latencies.percentileMs(hedge.afterPercentile().orElseThrow());
    return percentile.isPresent() ? OptionalLong.of(Math.max(1, percentile.getAsLong())) : percentile;
  }
}
