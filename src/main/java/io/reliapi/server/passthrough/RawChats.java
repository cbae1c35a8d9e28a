package io.reliapi.server.passthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Canonical;
import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Providers;
import io.reliapi.llm.RawPaths;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import java.util.Optional;
import java.util.Set;

/**
 * The raw routes ({@code /t/}, {@code /proxy/http}) on LLM targets (issue 11): which requests pass, and a
 * call to the provider's chat endpoint turned into an LLM exchange, so it is priced, capped and budgeted
 * exactly like one on {@code /v1}. The exchange carries the client's body ({@link ChatRequest#nativeBody()});
 * the provider gets that body with only the fields the gateway owns changed, and the client gets the
 * provider's answer in the provider's own form.
 */
public final class RawChats {
  /** Client headers a chat call does not pass on: the gateway reads the body it sends and the answer. */
  private static final Set<String> OWNED_HEADERS = HeaderNames.of("accept", "accept-encoding", "content-type",
      "content-length", "content-encoding", "anthropic-version");

  private RawChats() {}

  /**
   * Returns what a raw request may do on {@code target}: anything on a plain HTTP target. On an LLM target a request
   * with a method-override header is refused wherever it goes: a {@code GET} to the chat endpoint under a listed
   * prefix, which a server that honours {@code X-HTTP-Method-Override: POST} runs as a completion, would otherwise
   * pass unpriced, around the caps and budgets.
   */
  public static RawPaths.Use use(TargetConfig target, String method, String pathAndQuery, Headers headers) {
    if (target.isLlm() && HttpCall.overridesMethod(headers)) {
      return RawPaths.Use.FORBIDDEN;
    }
    return target.llm().map(llm -> RawPaths.of(llm, method, Canonical.path(pathAndQuery)))
        .orElse(RawPaths.Use.LISTED);
  }

  /** The answer to a raw request {@link #use} refused: outside {@code llm.raw_paths}, or overriding its method. */
  public static GatewayException forbidden() {
    return GatewayException.of(ErrorCode.FORBIDDEN, "This request is not open on this LLM target's raw routes: "
        + "its path is outside the target's llm.raw_paths, or it carries a method-override header, which LLM "
        + "targets refuse.");
  }

  /**
   * Builds the exchange of a raw chat call. {@code raw} is the request as the route read it, its body whole;
   * {@code buffered} says whether the route needs whole answers (the envelope). A stream is never read whole
   * by the attempt, so that its chat stream can start: the envelope route reads it whole itself.
   */
  public static Exchange exchange(Inbound in, Route route, GatewayConfig config, TargetConfig target, HttpCall raw,
      Optional<Long> attemptTimeoutMs, Optional<String> idempotencyKey, CacheDirective cache, boolean buffered) {
    String encoding = raw.headers().get("content-encoding");
    if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
      throw Fields.invalid("The body of a chat call must not be content-encoded.");
    }
    byte[] bytes = raw.body() instanceof Body.Bytes b ? b.bytes().getBytes() : new byte[0];
    JsonNode root = Json.parseOrNull(bytes);
    if (!(root instanceof ObjectNode body)) {
      throw Fields.invalid("The body of a chat call must be a JSON object.");
    }
    var llm = LlmRequests.llm(target);
    ChatRequest request = LlmStreams.withCommit(in, target,
        LlmRequests.forPrimary(Providers.of(llm.provider()).readNative(body), target));
    in.trace().answeredBy(target.name());
    in.trace().model(request.model());
    long deadline = in.deadlineNanos(target, config.server());
    RequestContext context = new RequestContext(in.requestId(), route, in.caller(), target.name(), in.startNanos(),
        deadline, attemptTimeoutMs, idempotencyKey, cache, buffered && !request.stream(), in.trace(),
        in.cancellation(), in.buffered());
    // However the client wrote the endpoint's path, the call goes to the endpoint itself, with the client's query.
    int q = raw.pathAndQuery().indexOf('?');
    String query = q < 0 || q == raw.pathAndQuery().length() - 1 ? "" : raw.pathAndQuery().substring(q);
    String path = Providers.of(llm.provider()).chatPath() + query;
    HttpCall call = new HttpCall("POST", path, raw.headers().withoutNames(OWNED_HEADERS::contains),
        Body.of(ChatJson.canonical(request)));
    return new Exchange(context, target, call, 0, Optional.of(request));
  }
}
