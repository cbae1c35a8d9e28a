package io.reliapi.server.anthropic;

import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API, so Anthropic SDKs and coding agents work by changing
 * their base URL. Anthropic targets are sent the client's body as written; other providers its translation.
 * Either way the answer is rendered from the neutral one, as a {@code message} or the Messages event stream;
 * reliability metadata travels in the SPEC §3.6 headers, and errors in Anthropic's error shape.
 */
public final class AnthropicRoute extends BodyRoute {
  private final Clock clock;

  public AnthropicRoute(GatewayConfig config, Clock clock) {
    super(config, Route.ANTHROPIC);
    this.clock = clock;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    MessagesRequest parsed = MessagesRequest.parse(bytes, config, in);
    return LlmStreams.held(in, LlmRequests.exchange(in, Route.ANTHROPIC, config, parsed.target(), parsed.chat(), bytes));
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply, exchange.payload(ChatRequest.class));
  }

  private Future<Void> render(Inbound in, Reply reply, Optional<ChatRequest> request) {
    Optional<GatewayException> failed = LlmReplies.received(reply, in, config, clock.epochMillis());
    if (failed.isPresent()) {
      return fail(in, failed.get());
    }
    List<String> asked = request.map(ChatRequest::stop).orElse(List.of());
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      return new MessageEvents(in, clock, asked).stream(streaming.stream());
    }
    // Reading the answer also checks that stored bytes are a completion before they are rendered as one.
    Completion completion = LlmReplies.result(reply);
    if (request.map(ChatRequest::stream).orElse(false)) {
      return new MessageEvents(in, clock, asked).replay(completion);
    }
    HttpServerResponse response = in.request().response();
    if (response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(200);
    GatewayHeaders.write(response.headers(), in, clock);
    response.headers().set("request-id", in.requestId());
    GatewayHeaders.ownBody(response.headers(), "application/json");
    return response.end(MessageJson.message(completion, asked).toString());
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return AnthropicErrors.write(in, error, clock);
  }
}
