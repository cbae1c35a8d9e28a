package io.reliapi.server.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.CacheConfig;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.PricedRequest;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.policy.cache.CacheDirectives;
import io.reliapi.policy.cost.ModelChoice;
import io.reliapi.policy.idempotency.IdempotencyKeys;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What both LLM routes do with a parsed request: checks, the primary target's model, the exchange. */
public final class LlmRequests {
  /** The stand-in path of an LLM exchange's call (see {@link Exchange}). */
  static final String PATH = "/chat/completions";

  private LlmRequests() {}

  /** Returns the target's {@code llm} block, or fails with INVALID_TARGET. */
  public static LlmConfig llm(TargetConfig target) {
    return target.llm().orElseThrow(() -> GatewayException.of(ErrorCode.INVALID_TARGET,
        "This target has no llm block; LLM routes need an LLM target."));
  }

  /** Returns {@code draft} with the model and {@code max_tokens} of its primary target. */
  public static ChatRequest forPrimary(ChatRequest draft, TargetConfig target) {
    LlmConfig llm = llm(target);
    return draft.forTarget(ModelChoice.model(draft, llm, true), ModelChoice.maxTokens(draft, llm));
  }

  /**
   * Builds the exchange of a request on a protocol route ({@code /v1/...}), whose idempotency key and cache
   * directives come in the {@code Idempotency-Key} and {@code Cache-Control} headers.
   */
  public static Exchange exchange(Inbound in, Route route, GatewayConfig config, TargetConfig target,
      ChatRequest request, Buffer raw) {
    return exchange(in, route, config, target, request, raw, idempotencyKey(in), cacheDirective(in));
  }

  /** Returns the idempotency key of a protocol route's request: its {@code Idempotency-Key} header, if valid. */
  public static Optional<String> idempotencyKey(Inbound in) {
    return IdempotencyKeys.resolveLines(in.request().headers().getAll("Idempotency-Key"), null);
  }

  /** Returns the cache directives of a protocol route's request: its {@code Cache-Control} headers. */
  public static CacheDirective cacheDirective(Inbound in) {
    return CacheDirectives.of(in.request().headers().getAll("Cache-Control"), Optional.empty());
  }

  /**
   * Builds the exchange of an LLM request, the client's body {@code raw} as read; its call carries the canonical
   * request as its body where the idempotency key or the cache key on it, else {@code raw} (its length, for
   * counting large prompts off the event loop, is all the stages read of it), and the request its stream commit
   * mode ({@link LlmStreams#withCommit}). The canonical form costs a sorted tree and its JSON text per request.
   */
  public static Exchange exchange(Inbound in, Route route, GatewayConfig config, TargetConfig target, ChatRequest draft,
      Buffer raw, Optional<String> idempotencyKey, CacheDirective cache) {
    ChatRequest request = LlmStreams.withCommit(in, target, draft);
    boolean keyedOn = idempotencyKey.isPresent() || target.cache().filter(CacheConfig::enabled).isPresent();
    return exchange(in, route, config, target, request, PATH, keyedOn ? ChatJson.canonical(request) : raw,
        !request.stream(), idempotencyKey, cache);
  }

  /**
   * Builds the exchange of any priced LLM request: its stand-in call is a POST to {@code path} whose body is the
   * request's canonical form ({@code canonical}), which the cache and idempotency key on.
   */
  public static Exchange exchange(Inbound in, Route route, GatewayConfig config, TargetConfig target,
      PricedRequest request, String path, Buffer canonical, boolean bufferReplies, Optional<String> idempotencyKey,
      CacheDirective cache) {
    RequestContext context = context(in, route, config, target, request, idempotencyKey, cache, bufferReplies);
    HttpCall call = new HttpCall("POST", path, Headers.empty(), Body.of(canonical));
    return new Exchange(context, target, call, 0, Optional.of(request));
  }

  /** Returns the context of an LLM chat request on {@code target}: whole replies unless it streams. */
  public static RequestContext context(Inbound in, Route route, GatewayConfig config, TargetConfig target,
      ChatRequest request, Optional<String> idempotencyKey, CacheDirective cache) {
    return context(in, route, config, target, request, idempotencyKey, cache, !request.stream());
  }

  /** Returns the context of an LLM request on {@code target}, and records the target and model on its trace. */
  public static RequestContext context(Inbound in, Route route, GatewayConfig config, TargetConfig target,
      PricedRequest request, Optional<String> idempotencyKey, CacheDirective cache, boolean bufferReplies) {
    in.trace().answeredBy(target.name());
    in.trace().model(request.model());
    long deadline = in.deadlineNanos(target, config.server());
    return new RequestContext(in.requestId(), route, in.caller(), target.name(), in.startNanos(),
        deadline, Optional.empty(), idempotencyKey, cache, bufferReplies, in.trace(), in.cancellation(),
        in.buffered());
  }

  /** Reads {@code stop}: a string or a list of strings. */
  public static List<String> stop(JsonNode node) {
    if (!Fields.given(node)) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw Fields.invalid("Field 'stop' must be a string or a list of strings.");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw Fields.invalid("Field 'stop' must be a string or a list of strings.");
      }
      out.add(item.asText());
    }
    return out;
  }

  public static Optional<Double> number(JsonNode root, String field, double min, double max) {
    JsonNode node = root.get(field);
    if (!Fields.given(node)) {
      return Optional.empty();
    }
    if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
      throw Fields.invalid("Field '" + field + "' must be a number from " + min + " to " + max + ".");
    }
    return Optional.of(node.asDouble());
  }

  public static boolean bool(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (!Fields.given(node)) {
      return false;
    }
    if (!node.isBoolean()) {
      throw Fields.invalid("Field '" + field + "' must be true or false.");
    }
    return node.asBoolean();
  }

  public static Optional<Integer> maxTokens(JsonNode root, String field) {
    return Fields.optionalInteger(root, field, 1, 10_000_000).map(Long::intValue);
  }
}
