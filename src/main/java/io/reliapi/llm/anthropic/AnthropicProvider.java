package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.AuthConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeRequests;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.WireProtocol;
import io.reliapi.upstream.Credentials;
import java.util.List;

/**
 * Anthropic's Messages API (POST {@code /messages}): the secret goes in {@code x-api-key} (unless the
 * target's {@code auth} names its own header) and every call carries {@code anthropic-version}
 * ({@code llm.anthropic_version}, default {@code 2023-06-01}). Errors are
 * {@code {"type": "error", "error": {"type", "message"}}}; 529 means overloaded.
 */
public final class AnthropicProvider implements Provider {
  static final String PATH = "/messages";

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
    return target.auth().map(auth -> auth.type() == AuthConfig.Type.BEARER_ENV
        ? Headers.of("x-api-key", auth.secret().value())
        : Credentials.header(auth)).orElse(Headers.empty());
  }

  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    return post(AnthropicRequest.body(request), request.stream(), llm);
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

  /** Sends the client's body with the target's model and {@code max_tokens}; the version is the target's. */
  @Override
  public HttpCall nativeCall(ChatRequest request, LlmConfig llm) {
    ObjectNode body = request.nativeBody().orElseThrow().body().deepCopy();
    body.put("model", request.model());
    body.put("max_tokens", request.maxTokens());
    return post(body, request.stream(), llm);
  }

  private static HttpCall post(ObjectNode body, boolean stream, LlmConfig llm) {
    Headers headers = Headers.of("Content-Type", "application/json",
        "Accept", stream ? "text/event-stream" : "application/json",
        "anthropic-version", llm.anthropicVersion());
    return new HttpCall("POST", PATH, headers, Body.of(Json.write(out -> Json.MAPPER.writeTree(out, body))));
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
