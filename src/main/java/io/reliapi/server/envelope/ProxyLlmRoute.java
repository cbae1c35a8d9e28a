package io.reliapi.server.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.policy.cache.CacheDirectives;
import io.reliapi.policy.idempotency.IdempotencyKeys;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.Inbound;
import io.reliapi.server.Targets;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;

/**
 * {@code POST /proxy/llm}: one chat completion in the unified format (SPEC §2.3), answered with the
 * {@code data}/{@code meta} envelope, or with named server-sent events when {@code stream} is true.
 */
public final class ProxyLlmRoute extends BodyRoute {
  private final Envelope envelope;
  private final Clock clock;

  public ProxyLlmRoute(GatewayConfig config, Clock clock) {
    super(config, Route.PROXY_LLM);
    this.clock = clock;
    this.envelope = new Envelope(clock, new LlmMeta(config));
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    ProxyLlmRequest parsed = ProxyLlmRequest.parse(bytes, name -> {
      TargetConfig found = Targets.find(config, name);
      in.trace().answeredBy(found.name());
      return found;
    });
    var headers = in.request().headers();
    return LlmStreams.held(in, LlmRequests.exchange(in, Route.PROXY_LLM, config, parsed.target(), parsed.chat(), bytes,
        IdempotencyKeys.resolveLines(headers.getAll("Idempotency-Key"), parsed.idempotencyKey().orElse(null)),
        CacheDirectives.of(new ArrayList<>(headers.getAll("Cache-Control")), parsed.cache())));
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply, exchange.payload(ChatRequest.class).map(ChatRequest::stream).orElse(false));
  }

  /** Renders {@code reply}; {@code streamed} says whether the client asked for events. */
  private Future<Void> render(Inbound in, Reply reply, boolean streamed) {
    LlmReplies.freeOnHit(in.trace());
    LlmReplies.passOn(reply, in.request().response().headers());
    if (!LlmReplies.succeeded(reply)) {
      return fail(in, LlmReplies.upstreamError(reply, in, config, clock.epochMillis()));
    }
    if (reply.answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
      return new ProxyLlmEvents(in, clock, envelope).stream(streaming.stream());
    }
    Completion result = LlmReplies.result(reply);
    if (streamed) {
      return new ProxyLlmEvents(in, clock, envelope).replay(result);
    }
    return envelope.success(in, 200, out -> data(out, result));
  }

  /** Writes the members of {@code data} (SPEC §2.3). */
  static void data(JsonGenerator out, Completion result) throws IOException {
    out.writeStringField("content", result.content());
    out.writeStringField("role", "assistant");
    finish(out, result);
    out.writeStringField("model", result.model());
    if (result.refusal() != null) {
      out.writeStringField("refusal", result.refusal());
    }
    if (result.toolCalls().isPresent()) {
      out.writeFieldName("tool_calls");
      Json.MAPPER.writeTree(out, result.toolCalls().get());
    }
    out.writeFieldName("usage");
    if (result.usage() == null) {
      out.writeNull();
    } else {
      Json.MAPPER.writeTree(out, ChatCompletion.usage(result.usage()));
    }
  }

  /**
   * Writes {@code finish_reason} in OpenAI's words (SPEC §2.3) and, for a finish they have none for (Anthropic's
   * {@code pause_turn}, read as {@code stop}), the provider's own word in {@code native_finish_reason}, as on
   * {@code /v1/chat/completions}: a client that must send a paused turn back can tell it from a finished one.
   */
  static void finish(JsonGenerator out, Completion result) throws IOException {
    String openAi = ChatCompletion.openAiFinish(result.finishReason());
    out.writeStringField("finish_reason", openAi);
    if (result.finishReason() != null && !result.finishReason().equals(openAi)) {
      out.writeStringField("native_finish_reason", result.finishReason());
    }
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    if (in.hold().committed()) {
      return new ProxyLlmEvents(in, clock, envelope).failed(error);
    }
    return envelope.fail(in, error);
  }
}
