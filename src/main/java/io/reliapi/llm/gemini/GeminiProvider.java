package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.embeddings.Embedder;
import io.reliapi.upstream.Credentials;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Google's Gemini API ({@code base_url} ending in {@code /v1beta}): {@code models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams; the secret goes in {@code x-goog-api-key} (unless the
 * target's {@code auth} names its own header). Errors are {@code {"error": {"code", "message", "status",
 * "details"}}}; the {@code status} and the {@code ErrorInfo} reason are the error's type and code. It also counts
 * tokens ({@code :countTokens}) and embeds ({@link GeminiEmbeddings}).
 *
 * <p>A Gemini chat call has no fixed path (the model is in it), so the raw routes have no priced chat endpoint on a
 * Gemini target: its paths pass only under {@code llm.raw_paths}, unpriced.
 */
public final class GeminiProvider implements Provider {
  private static final GeminiEmbeddings EMBEDDINGS = new GeminiEmbeddings();

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.GEMINI_GENERATE_CONTENT;
  }

  @Override
  public Headers credentials(TargetConfig target) {
    return Credentials.apiKey(target, "x-goog-api-key");
  }

  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    String path = request.stream() ? GeminiModels.path(request.model(), "streamGenerateContent") + "?alt=sse"
        : GeminiModels.path(request.model(), "generateContent");
    return JsonPost.of(path, GeminiRequest.body(request), request.stream());
  }

  /** Never matches a raw path: Gemini's chat paths name the model (see the class comment). */
  @Override
  public String chatPath() {
    return "/models/{model}:generateContent";
  }

  @Override
  public ChatRequest readNative(ObjectNode body) {
    throw GatewayException.of(ErrorCode.INVALID_REQUEST,
        "Gemini calls on the raw routes are not priced; use /v1/chat/completions with this target.");
  }

  @Override
  public HttpCall nativeCall(ChatRequest request, LlmConfig llm) {
    throw new IllegalStateException("no client writes Gemini's protocol to the gateway");
  }

  @Override
  public ParsedAnswer complete(byte[] body, long createdEpochS) {
    return GeminiAnswer.read(body, createdEpochS);
  }

  @Override
  public StreamDecoder decoder(long createdEpochS) {
    return new GeminiStreamDecoder(createdEpochS);
  }

  @Override
  public ProviderError error(byte[] body) {
    JsonNode error = Json.parseOrNull(body) instanceof JsonNode root ? root.path("error") : null;
    if (error == null || !error.isObject()) {
      return ProviderError.none();
    }
    String reason = null;
    for (JsonNode detail : error.path("details")) {
      if (detail.path("reason").isTextual()) {
        reason = detail.get("reason").asText();
        break;
      }
    }
    return ProviderError.of(error.path("status").textValue(), reason);
  }

  @Override
  public Optional<Embedder> embedder() {
    return Optional.of(EMBEDDINGS);
  }

  @Override
  public Optional<HttpCall> countCall(ChatRequest request, LlmConfig llm) {
    return Optional.of(JsonPost.of(GeminiModels.path(request.model(), "countTokens"),
        GeminiRequest.countTokensBody(request, GeminiModels.resource(request.model())), false));
  }

  @Override
  public OptionalLong count(byte[] body) {
    JsonNode total = Json.parseOrNull(body) instanceof JsonNode root ? root.path("totalTokens") : null;
    return total != null && total.canConvertToLong() ? OptionalLong.of(total.asLong()) : OptionalLong.empty();
  }

}
