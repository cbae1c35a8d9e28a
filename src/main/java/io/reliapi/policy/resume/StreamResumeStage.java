package io.reliapi.policy.resume;

import io.reliapi.config.LlmConfig;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Continues a target's streams that break after their commit point ({@code llm.stream_resume}): a stream it
 * passes on is given a {@link TargetResumer}, which sends each continuation through the rest of the pipeline
 * again, so it is an attempt like any other (retried, behind the breaker, limited and charged), on the same
 * target. Sits above Retry, so the continuation's own faults before its first token are retried as a first
 * attempt's are. Other requests pass through.
 */
public final class StreamResumeStage implements Stage {
  private final ResumeRetries retries;
  private final GatewayEvents events;

  public StreamResumeStage(Clock clock, RetryBudgets budgets, GatewayEvents events) {
    this.retries = new ResumeRetries(clock, budgets, events);
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Optional<ChatRequest> chat = exchange.payload(ChatRequest.class);
    Optional<LlmConfig> llm = exchange.target().llm();
    if (chat.isEmpty() || llm.isEmpty() || !ResumeRule.applies(llm.get(), chat.get())) {
      return next.proceed(exchange);
    }
    var resumer = new TargetResumer(exchange, next, chat.get(), llm.get().provider(), retries, events);
    return next.proceed(exchange).map(reply -> {
      if (reply.answer().orElse(null) instanceof ChatAnswer.Streaming streaming) {
        streaming.stream().resumeWith(resumer);
      }
      return reply;
    });
  }
}
