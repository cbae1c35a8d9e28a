package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeRequests;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.embeddings.Embedder;
import io.reliapi.upstream.Credentials;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * OpenAI's Chat Completions API, and every server that speaks it ({@code base_url} points anywhere: Groq,
 * Together, vLLM, Ollama, ...). The credential goes in {@code Authorization: Bearer}. Providers that speak
 * the protocol with a dialect of their own extend it.
 */
public class OpenAiProvider implements Provider {
  private static final List<String> LIMIT_FIELDS = List.of("max_completion_tokens", "max_tokens");
  private static final ResponsesProvider RESPONSES = new ResponsesProvider();
  private final String name;
  private final OpenAiProtocol protocol;
  private final OpenAiProtocol maxTokensOnly;
  private final OpenAiProtocol completionTokensOnly;
  private final OpenAiEmbeddings embeddings;

  public OpenAiProvider() {
    this("openai", new Dialect() {}, OpenAiEmbeddings.OPENAI);
  }

  protected OpenAiProvider(String name, Dialect dialect, OpenAiEmbeddings embeddings) {
    this.name = name;
    this.protocol = new OpenAiProtocol(dialect);
    this.maxTokensOnly = new OpenAiProtocol(new FixedLimitName(dialect, false));
    this.completionTokensOnly = new OpenAiProtocol(new FixedLimitName(dialect, true));
    this.embeddings = embeddings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI_CHAT;
  }

  /**
   * Returns the Responses API adapter for a request a client wrote in that API when the target serves it
   * ({@code llm.responses_api}); every other request, that one included on a target without it (translated to
   * chat), is this adapter's.
   */
  @Override
  public Provider serving(ChatRequest request, LlmConfig llm) {
    boolean responses = request.nativeBody().filter(body -> body.protocol() == WireProtocol.OPENAI_RESPONSES)
        .isPresent();
    return responses && llm.responsesApi() ? RESPONSES : this;
  }

  @Override
  public Headers credentials(TargetConfig target) {
    return Credentials.forHttpTarget(target);
  }

  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    return protocol(llm).call(request, llm.openAiHost());
  }

  /** Returns the protocol for a target: its dialect, sending the limit under one name where the target says so. */
  private OpenAiProtocol protocol(LlmConfig llm) {
    return switch (llm.maxTokensField()) {
      case AS_SENT -> protocol;
      case MAX_TOKENS -> maxTokensOnly;
      case MAX_COMPLETION_TOKENS -> completionTokensOnly;
    };
  }

  @Override
  public String chatPath() {
    return OpenAiProtocol.PATH;
  }

  /** Reads a Chat Completions body; the output limit is {@code max_completion_tokens}, else {@code max_tokens}. */
  @Override
  public ChatRequest readNative(ObjectNode body) {
    return NativeRequests.read(body, LIMIT_FIELDS, WireProtocol.OPENAI_CHAT);
  }

  @Override
  public HttpCall nativeCall(ChatRequest request, LlmConfig llm) {
    return protocol(llm).nativeCall(request, llm.openAiHost());
  }

  @Override
  public Predicate<SseEvent> withheld(ChatRequest request) {
    return protocol.withheld(request);
  }

  @Override
  public ParsedAnswer complete(byte[] body, long createdEpochS) {
    return protocol.complete(Buffer.buffer(body));
  }

  @Override
  public ParsedAnswer complete(Buffer body, long createdEpochS) {
    return protocol.complete(body);
  }

  @Override
  public StreamDecoder decoder(long createdEpochS) {
    return protocol.decoder();
  }

  @Override
  public ProviderError error(byte[] body) {
    return OpenAiProtocol.error(body);
  }

  @Override
  public Optional<Embedder> embedder() {
    return Optional.of(embeddings);
  }
}
