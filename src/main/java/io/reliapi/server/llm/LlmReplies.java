package io.reliapi.server.llm;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ContextOverflow;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.Providers;
import io.reliapi.pipeline.Trace;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.RetryAfterHeader;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Optional;

/** What both LLM routes read from a reply before rendering it in their own format. */
public final class LlmReplies {
  private LlmReplies() {}

  /**
   * Starts rendering {@code reply} on an LLM route: a hit is free, the provider's rate-limit headers go on;
   * returns the error to answer instead when the provider answered with an error status.
   */
  public static Optional<GatewayException> received(Reply reply, Inbound in, GatewayConfig config,
      long nowEpochMillis) {
    freeOnHit(in.trace());
    passOn(reply, in.request().response().headers());
    return succeeded(reply) ? Optional.empty() : Optional.of(upstreamError(reply, in, config, nowEpochMillis));
  }

  public static boolean succeeded(Reply reply) {
    return reply.status() >= 200 && reply.status() < 300;
  }

  /** Cache and idempotent hits cost nothing (SPEC §3.5). */
  public static void freeOnHit(Trace trace) {
    if (trace.cacheHit() || trace.idempotentHit()) {
      trace.costUsd(0.0);
    }
  }

  /** Returns the completion of a finished reply: the attempt's own, or read from the bytes of a stored one. */
  public static Completion result(Reply reply) {
    if (reply.answer(ChatAnswer.Whole.class).orElse(null) instanceof ChatAnswer.Whole whole) {
      return whole.completion();
    }
    return ChatCompletion.read(bytes(reply));
  }

  static byte[] bytes(Reply reply) {
    return body(reply).getBytes();
  }

  /** Returns the bytes of a finished reply as they are held (not copied), to write them out. */
  public static Buffer body(Reply reply) {
    return reply.body() instanceof Body.Bytes b ? b.bytes() : Buffer.buffer(0);
  }

  /**
   * Describes a provider's error answer as UPSTREAM_ERROR with the provider's status, its {@code Retry-After}
   * in seconds (a date read on the gateway's clock), and the provider's error type and code in
   * {@code details.provider_error} (never its message; a request too long for the model is said in the words
   * clients look for, {@link ContextOverflow}). The code goes on the request's trace: the access log and
   * {@code reliapi_errors_total} carry the code the client is shown, whether the provider's error came as a
   * status or as an error event before the stream was committed.
   */
  public static GatewayException upstreamError(Reply reply, Inbound in, GatewayConfig config, long nowEpochMillis) {
    String target = in.trace().target();
    in.trace().errorCode(ErrorCode.UPSTREAM_ERROR);
    ProviderError said = config.target(target == null ? "" : target).flatMap(TargetConfig::llm)
        .map(llm -> Providers.of(llm.provider()).error(bytes(reply))).orElse(ProviderError.none());
    Optional<ContextOverflow> overflow = ContextOverflow.of(reply.status(), bytes(reply));
    // A too-long request is named by OpenAI's code whatever the provider called it: clients look for that code.
    ProviderError provider = said.code().isPresent() || overflow.isEmpty() ? said
        : new ProviderError(said.type(), Optional.of(ContextOverflow.CODE));
    GatewayException error = GatewayException.of(ErrorCode.UPSTREAM_ERROR, "The provider answered with status "
        + reply.status() + provider.describe().map(d -> " (" + d + ")").orElse("")
        + overflow.map(o -> ": " + o.sentence()).orElse("") + ".").withUpstreamStatus(reply.status());
    if (provider.type().isPresent() || provider.code().isPresent()) {
      var details = new java.util.LinkedHashMap<String, Object>();
      provider.type().ifPresent(t -> details.put("type", t));
      provider.code().ifPresent(c -> details.put("code", c));
      error = error.withDetails(Map.of("provider_error", details));
    }
    return RetryAfterHeader.onto(error, reply, nowEpochMillis);
  }

  /** Writes a successful JSON answer with the gateway's headers (SPEC §3.6); nothing if the client left. */
  public static Future<Void> writeJson(Inbound in, Buffer body, Clock clock) {
    HttpServerResponse response = in.request().response();
    if (response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(200);
    GatewayHeaders.write(response.headers(), in, clock);
    GatewayHeaders.ownBody(response.headers(), "application/json");
    return response.end(body);
  }

  /** Passes the provider's rate-limit headers (and a {@code Retry-After} date) on to the client. */
  public static void passOn(Reply reply, MultiMap headers) {
    reply.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("content-type")) {
        headers.set(name, value);
      }
    });
  }
}
