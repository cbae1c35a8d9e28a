package io.reliapi.llm;

import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmFaultRules.StreamCommit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One chat completion in the provider-neutral model, as the routes parsed it and the stages refine it
 * per target.
 *
 * @param requestedModel     the model the client named (without a {@code target/} prefix), if any
 * @param model              the model for the current target: resolved by the route for the primary
 *                           target and again by the cost caps stage for each fallback (SPEC §3.7)
 * @param requestedMaxTokens the client's {@code max_tokens}, if any
 * @param maxTokens          the {@code max_tokens} the provider call carries: the client's value capped by
 *                           the target's {@code llm.max_tokens} (its default), possibly lowered by a soft cap
 * @param options            other request fields in OpenAI's dialect (from {@code /v1}): passed as they are
 *                           to OpenAI-protocol providers, translated or dropped for others
 * @param extra              provider-native fields merged into the provider request as they are
 *                           ({@code /proxy/llm}'s {@code extra})
 * @param estimate           the cost estimate for the current target, once the cost caps stage made it
 * @param nativeBody         for a call a client wrote in a provider protocol (on a raw route, or a protocol
 *                           route such as {@code /v1/messages}), its body as sent: a provider of that protocol is
 *                           sent that body with the fields the gateway owns set ({@link Provider#nativeCall}); the
 *                           other fields above are read from it
 * @param streamCommit       when a streamed answer is committed to the client, for the whole request (fallbacks
 *                           included): the {@code X-ReliAPI-Stream-Commit} header, else the routed target's
 *                           {@code llm.stream_commit}, as the route resolved it; empty until then
 */
public record ChatRequest(
    Optional<String> requestedModel,
    String model,
    List<ChatMessage> messages,
    Optional<Integer> requestedMaxTokens,
    int maxTokens,
    Optional<Double> temperature,
    Optional<Double> topP,
    List<String> stop,
    boolean stream,
    ObjectNode options,
    ObjectNode extra,
    Optional<CostEstimate> estimate,
    Optional<NativeBody> nativeBody,
    Optional<StreamCommit> streamCommit) implements PricedRequest {

  public ChatRequest {
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
  }

  /** A request in the gateway's own terms (from {@code /v1} or {@code /proxy/llm}). */
  public ChatRequest(Optional<String> requestedModel, String model, List<ChatMessage> messages,
      Optional<Integer> requestedMaxTokens, int maxTokens, Optional<Double> temperature, Optional<Double> topP,
      List<String> stop, boolean stream, ObjectNode options, ObjectNode extra, Optional<CostEstimate> estimate) {
    this(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop, stream, options,
        extra, estimate, Optional.empty(), Optional.empty());
  }

  /** A request read from a body the client wrote in a provider protocol; its stream commit mode is set later. */
  public ChatRequest(Optional<String> requestedModel, String model, List<ChatMessage> messages,
      Optional<Integer> requestedMaxTokens, int maxTokens, Optional<Double> temperature, Optional<Double> topP,
      List<String> stop, boolean stream, ObjectNode options, ObjectNode extra, Optional<CostEstimate> estimate,
      Optional<NativeBody> nativeBody) {
    this(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop, stream, options,
        extra, estimate, nativeBody, Optional.empty());
  }

  /** Returns this request as a target with the given model and {@code max_tokens} sees it. */
  public ChatRequest forTarget(String model, int maxTokens) {
    return new ChatRequest(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop,
        stream, options, extra, Optional.empty(), nativeBody, streamCommit);
  }

  /** Returns this request sending {@code model} instead (a deployment's own name for the model), estimate kept. */
  public ChatRequest withModel(String model) {
    return model.equals(this.model) ? this : new ChatRequest(requestedModel, model, messages, requestedMaxTokens,
        maxTokens, temperature, topP, stop, stream, options, extra, estimate, nativeBody, streamCommit);
  }

  public ChatRequest withMaxTokens(int maxTokens) {
    return new ChatRequest(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop,
        stream, options, extra, estimate, nativeBody, streamCommit);
  }

  public ChatRequest withEstimate(CostEstimate estimate) {
    return new ChatRequest(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop,
        stream, options, extra, Optional.of(estimate), nativeBody, streamCommit);
  }

  /** Returns this request with {@code body} as the body the client wrote, everything else kept. */
  public ChatRequest withNativeBody(NativeBody body) {
    return new ChatRequest(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop,
        stream, options, extra, estimate, Optional.of(body), streamCommit);
  }

  /** Returns this request committing its stream to the client as {@code commit} says. */
  public ChatRequest withStreamCommit(StreamCommit commit) {
    return new ChatRequest(requestedModel, model, messages, requestedMaxTokens, maxTokens, temperature, topP, stop,
        stream, options, extra, estimate, nativeBody, Optional.of(commit));
  }

  @Override
  public long promptTokens(TokenCounter counter) {
    return counter.promptTokens(this);
  }

  @Override
  public long promptTokens(TokenCounter counter, LlmConfig.Provider provider) {
    return counter.promptTokens(this, provider);
  }

  /** Returns whether the client wrote this call in a provider protocol, kept as it wrote it. */
  public boolean isNative() {
    return nativeBody.isPresent();
  }

  /**
   * Returns whether only a provider of the body's own protocol can serve it: its client reads the provider's
   * answer as it came, or no translation carries all of it. Fallback keeps such a call on targets of that protocol.
   */
  public boolean nativeOnly() {
    return nativeBody.map(NativeBody::nativeOnly).orElse(false);
  }

  /** Returns the protocol the client asked in: its body's, or OpenAI's Chat Completions (the chat and envelope routes). */
  public WireProtocol askedIn() {
    return nativeBody.map(NativeBody::protocol).orElse(WireProtocol.OPENAI_CHAT);
  }

  /** Returns whether the client reads the provider's own answer as it came (a raw route). */
  public boolean answeredAsIs() {
    return nativeBody.map(NativeBody::answeredAsIs).orElse(false);
  }

  /** Returns how many alternative completions the client asked for ({@code n}); output is priced for each. */
  @Override
  public int choices() {
    JsonNode n = extra.has("n") ? extra.get("n") : options.get("n");
    return n != null && n.canConvertToInt() && n.asInt() > 1 ? n.asInt() : 1;
  }

  /**
   * Returns whether the client asked for the usage chunk at the end of a stream ({@code /v1} and native
   * OpenAI-protocol calls); the gateway asks the provider for it anyway, and passes it on only to clients that
   * asked.
   */
  public boolean wantsStreamUsage() {
    JsonNode streamOptions = options.get("stream_options");
    return streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
  }
}
