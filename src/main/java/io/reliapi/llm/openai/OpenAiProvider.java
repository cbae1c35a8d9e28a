package io.reliapi.llm.openai;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.upstream.Credentials;

/**
 * OpenAI's Chat Completions API, and every server that speaks it ({@code base_url} points anywhere: Groq,
 * Together, vLLM, Ollama, ...). The credential goes in {@code Authorization: Bearer}. Providers that speak
 * the protocol with a dialect of their own extend it.
 */
public class OpenAiProvider implements Provider {
  private final String name;
  private final OpenAiProtocol protocol;

  public OpenAiProvider() {
    this("openai", new Dialect() {});
  }

  protected OpenAiProvider(String name, Dialect dialect) {
    this.name = name;
    this.protocol = new OpenAiProtocol(dialect);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Headers credentials(TargetConfig target) {
    return Credentials.forHttpTarget(target);
  }

  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    return protocol.call(request);
  }

  @Override
  public Completion complete(byte[] body, long createdEpochS) {
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
}
