package io.reliapi.server.openai;

import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.policy.cache.CacheDirectives;
import io.reliapi.policy.idempotency.IdempotencyKeys;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.InboundBody;
import io.reliapi.server.ProxyRoute;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}: OpenAI's Chat Completions API (SPEC §2.4), so an OpenAI SDK works by
 * changing its base URL. Answers are OpenAI {@code chat.completion} objects or chunk streams, whatever the
 * provider; reliability metadata travels in the §3.6 headers.
 */
public final class OpenAiRoute implements ProxyRoute {
  private final GatewayConfig config;
  private final Clock clock;

  public OpenAiRoute(GatewayConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Route route() {
    return Route.OPENAI;
  }

  @Override
  public Future<Exchange> exchange(Inbound in) {
    return InboundBody.read(in.request(), config.server().maxBodyBytes()).map(bytes -> {
      var headers = in.request().headers();
      OpenAiRequest parsed = OpenAiRequest.parse(bytes, headers.get("X-ReliAPI-Target"), config, in);
      return LlmStreams.held(in, LlmRequests.exchange(in, Route.OPENAI, config, parsed.target(), parsed.chat(),
          IdempotencyKeys.resolve(headers.get("Idempotency-Key"), null),
          CacheDirectives.of(headers.getAll("Cache-Control"), Optional.empty())));
    });
  }

  @Override
  public Future<Void> reply(Inbound in, Reply reply) {
    return render(in, reply, Optional.empty());
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply, exchange.payload(ChatRequest.class));
  }

  private Future<Void> render(Inbound in, Reply reply, Optional<ChatRequest> request) {
    LlmReplies.freeOnHit(in.trace());
    LlmReplies.passOn(reply, in.request().response().headers());
    if (!LlmReplies.succeeded(reply)) {
      return fail(in, LlmReplies.upstreamError(reply, config, in.trace().target(), clock.epochMillis()));
    }
    boolean wantsUsage = request.map(ChatRequest::wantsStreamUsage).orElse(false);
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      return new OpenAiEvents(in, clock, wantsUsage).stream(streaming.stream());
    }
    // Reading the answer also checks that stored bytes are a completion before they are sent as one.
    Completion result = LlmReplies.result(reply);
    if (request.map(ChatRequest::stream).orElse(false)) {
      return new OpenAiEvents(in, clock, wantsUsage).replay(result, clock.epochMillis() / 1000);
    }
    HttpServerResponse response = in.request().response();
    if (response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(200);
    GatewayHeaders.write(response.headers(), in, clock);
    response.headers().set("Content-Type", "application/json");
    return response.end(LlmReplies.body(reply));
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return OpenAiErrors.write(in, error, clock);
  }
}
