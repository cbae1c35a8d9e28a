package io.reliapi.llm.resume;

import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.StreamResumer;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.TrailEntry;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Continues a target's streams that break after their commit point ({@code llm.stream_resume}): a stream it
 * passes on is given a {@link StreamResumer} that sends the {@link ContinuationRequest} through the rest of the
 * pipeline again, so each continuation is an attempt like any other (retried, behind the breaker, limited and
 * charged), on the same target. Sits above Retry, so the continuation's own faults before its first token are
 * retried as a first attempt's are. Other requests pass through.
 */
public final class StreamResumeStage implements Stage {

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Optional<ChatRequest> chat = exchange.payload(ChatRequest.class);
    Optional<LlmConfig> llm = exchange.target().llm();
    if (chat.isEmpty() || llm.isEmpty() || !ResumeRule.applies(llm.get(), chat.get())) {
      return next.proceed(exchange);
    }
    ChatRequest request = chat.get();
    LlmConfig.Provider provider = llm.get().provider();
    return next.proceed(exchange).map(reply -> {
      if (reply.answer().orElse(null) instanceof ChatAnswer.Streaming streaming) {
        streaming.stream().resumeWith((fault, sent, outputSpent, resume) -> {
          if (!ResumeRule.allows(fault, resume, exchange.target().retry())
              || exchange.context().cancellation().cancelled()) {
            return Optional.empty();
          }
          return ContinuationRequest.of(request, provider, sent, outputSpent).map(continuation -> {
            exchange.trace().note(new TrailEntry.StreamResumed(exchange.target().name(), resume,
                ResumeRule.faultClass(fault).orElseThrow().label()));
            return new StreamResumer.Continuation(stream(next.proceed(exchange.withPayload(continuation.request()))),
                continuation.prefix(), continuation.echoed());
          });
        });
      }
      return reply;
    });
  }

  /** Returns the continuation's stream; any other answer (an error status, a whole answer) is none. */
  private static Future<ChatStream> stream(Future<Reply> answered) {
    return answered.compose(reply -> {
      if (reply.status() == 200 && reply.answer().orElse(null) instanceof ChatAnswer.Streaming streaming) {
        return Future.succeededFuture(streaming.stream());
      }
      reply.body().discard();
      return Future.failedFuture(GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR,
          "The provider did not continue the stream."));
    });
  }
}
