package io.reliapi.llm.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.TokenCount;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Answers a token count no provider makes ({@link TokenCount} without {@code byProvider}) with the gateway's
 * tokenizer: {@code {"input_tokens": N}} and {@code X-ReliAPI-Token-Count: estimate}. It stands after the
 * request-wide stages, so such a count is refused, rate-limited and cached (within the client's quota) like every
 * other request, and before Fallback, since a count that reaches no upstream has no attempt for the breaker,
 * retries, concurrency limits or budgets to act on.
 */
public final class LocalCountStage implements Stage {
  private final TokenCounter counter;

  public LocalCountStage(TokenCounter counter) {
    this.counter = counter;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Optional<TokenCount> count = exchange.payload(TokenCount.class);
    if (count.isEmpty() || count.get().byProvider()) {
      return next.proceed(exchange);
    }
    return estimate(counter, exchange, count.get());
  }

  /** Counts {@code count}'s prompt here: also where the provider that was asked failed to. */
  public static Future<Reply> estimate(TokenCounter counter, Exchange exchange, TokenCount count) {
    LlmConfig.Provider provider = exchange.target().llm().map(LlmConfig::provider).orElse(null);
    return counter.promptTokens(count.request(), provider, exchange.call().body().length())
        .map(n -> answer(n, "estimate"));
  }

  /** The answer to a count, saying whose it is: {@code provider} or {@code estimate}. */
  public static Reply answer(long tokens, String source) {
    Buffer json = Buffer.buffer(ChatJson.object().put("input_tokens", tokens).toString());
    return new Reply(200, Headers.of("X-ReliAPI-Token-Count", source), Body.of(json));
  }
}
