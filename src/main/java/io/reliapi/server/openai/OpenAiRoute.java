package io.reliapi.server.openai;

import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.Inbound;
import io.reliapi.server.SingleHeader;
import io.reliapi.server.llm.LlmAnswers;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}: OpenAI's Chat Completions API (SPEC §2.4), so an OpenAI SDK works by
 * changing its base URL. Answers are OpenAI {@code chat.completion} objects or chunk streams, whatever the
 * provider; reliability metadata travels in the §3.6 headers.
 */
public final class OpenAiRoute extends BodyRoute {
  private final Clock clock;

  public OpenAiRoute(GatewayConfig config, Clock clock) {
    super(config, Route.OPENAI);
    this.clock = clock;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    OpenAiRequest parsed = OpenAiRequest.parse(bytes, SingleHeader.target(in.request()), config, in);
    return LlmStreams.held(in, LlmRequests.exchange(in, Route.OPENAI, config, parsed.target(), parsed.chat(), bytes));
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply, exchange.payload(ChatRequest.class));
  }

  private Future<Void> render(Inbound in, Reply reply, Optional<ChatRequest> request) {
    boolean wantsUsage = request.map(ChatRequest::wantsStreamUsage).orElse(false);
    return LlmAnswers.write(in, reply, request.map(ChatRequest::stream).orElse(false), new LlmAnswers.Protocol() {
      @Override
      public Future<Void> stream(ChatStream stream) {
        return new OpenAiEvents(in, clock, wantsUsage).stream(stream);
      }

      @Override
      public Future<Void> replay(Completion completion) {
        return new OpenAiEvents(in, clock, wantsUsage).replay(completion, clock.epochMillis() / 1000);
      }

      @Override
      public Buffer whole(Completion completion, Reply stored) {
        // An answer is kept with its client's protocol's items alone (ProviderAnswers, ChatStream); only a record
        // stored before that holds another protocol's, which an OpenAI client never sees.
        return completion.items().isEmpty() ? LlmReplies.body(stored) : ProtocolItems.stripped(LlmReplies.body(stored));
      }
    }, config, clock, error -> fail(in, error));
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return OpenAiErrors.write(in, error, clock);
  }
}
