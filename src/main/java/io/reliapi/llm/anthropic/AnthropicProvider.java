package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.NativeRequests;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.WireProtocol;
import io.reliapi.upstream.Credentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Anthropic's Messages API (POST {@code /messages}): the secret goes in {@code x-api-key} (unless the
 * target's {@code auth} names its own header) and every call carries {@code anthropic-version}
 * ({@code llm.anthropic_version}, default {@code 2023-06-01}). Errors are
 * {@code {"type": "error", "error": {"type", "message"}}}; 529 means overloaded.
 */
public final class AnthropicProvider implements Provider {
  static final String PATH = "/messages";
  static final String COUNT_PATH = "/messages/count_tokens";
  /** Fields of a Messages request that shape only the answer: {@code count_tokens} takes none of them. */
  private static final List<String> GENERATION_ONLY = List.of("max_tokens", "stream", "temperature", "top_p",
      "top_k", "stop_sequences", "metadata", "service_tier");

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.ANTHROPIC_MESSAGES;
  }

  @Override
  public Headers credentials(TargetConfig target) {
    return Credentials.apiKey(target, "x-api-key");
  }

  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    return post(PATH, AnthropicRequest.body(request, llm.structuredOutputs()), request.stream(), Map.of(), llm);
  }

  @Override
  public String chatPath() {
    return PATH;
  }

  /** Reads a Messages API body; {@code system}, {@code tools} and the other fields count as options. */
  @Override
  public ChatRequest readNative(ObjectNode body) {
    return NativeRequests.read(body, List.of("max_tokens"), WireProtocol.ANTHROPIC_MESSAGES);
  }

  /**
   * Sends the client's body with the target's model and {@code max_tokens}, and the protocol headers that came
   * with it ({@code anthropic-beta}); the version is the target's, the one whose answers the gateway reads.
   */
  @Override
  public HttpCall nativeCall(ChatRequest request, LlmConfig llm) {
    NativeBody written = request.nativeBody().orElseThrow();
    ObjectNode body = written.body().deepCopy();
    body.put("model", request.model());
    body.put("max_tokens", request.maxTokens());
    ThinkingBudget.fit(body, request.requestedMaxTokens());
    return post(PATH, body, request.stream(), written.headers(), llm);
  }

  /**
   * Counts with {@code /messages/count_tokens}: the client's body where it wrote this protocol, else the
   * translation.
   */
  @Override
  public Optional<HttpCall> countCall(ChatRequest request, LlmConfig llm) {
    Optional<NativeBody> written = request.nativeBody().filter(body -> body.speaks(this));
    ObjectNode body = written.map(b -> b.body().deepCopy()).orElseGet(() -> AnthropicRequest.body(request, llm.structuredOutputs()));
    body.put("model", request.model());
    body.remove(GENERATION_ONLY);
    return Optional.of(post(COUNT_PATH, body, false, written.map(NativeBody::headers).orElse(Map.of()), llm));
  }

  @Override
  public OptionalLong count(byte[] body) {
    JsonNode tokens = Optional.ofNullable(Json.parseOrNull(body)).map(root -> root.path("input_tokens"))
        .orElse(null);
    return tokens != null && tokens.canConvertToLong() && tokens.isIntegralNumber() && tokens.asLong() >= 0
        ? OptionalLong.of(tokens.asLong()) : OptionalLong.empty();
  }

  private static HttpCall post(String path, ObjectNode body, boolean stream, Map<String, String> extra,
      LlmConfig llm) {
    Headers headers = Headers.empty();
    for (var header : extra.entrySet()) {
      headers = headers.with(header.getKey(), header.getValue());
    }
    headers = JsonPost.headers(headers, stream).with("anthropic-version", llm.anthropicVersion());
    return JsonPost.of(path, headers, body);
  }

  @Override
  public ParsedAnswer complete(byte[] body, long createdEpochS) {
    return AnthropicAnswer.read(body, createdEpochS);
  }

  @Override
  public StreamDecoder decoder(long createdEpochS) {
    return new AnthropicStreamDecoder(createdEpochS);
  }

  @Override
  public ProviderError error(byte[] body) {
    JsonNode root = Json.parseOrNull(body);
    if (root == null) {
      return ProviderError.none();
    }
    return ProviderError.of(root.path("error").path("type").textValue(), null);
  }
}
