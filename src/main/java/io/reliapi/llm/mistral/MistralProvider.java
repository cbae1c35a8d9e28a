package io.reliapi.llm.mistral;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.openai.OpenAiProtocol;
import io.reliapi.upstream.Credentials;

/**
 * Mistral's chat API ({@code https://api.mistral.ai/v1}): OpenAI's protocol with {@link MistralDialect}'s
 * departures, Mistral's flat error bodies ({@code {"object": "error", "message", "type", "code"}}, or
 * {@code {"detail": ...}} / {@code {"message": "Unauthorized"}} in front of the API), and its rate-limit
 * headers: a 429 without {@code Retry-After} gets one from {@code ratelimitbysize-reset} (seconds).
 */
public final class MistralProvider implements Provider {
  private final OpenAiProtocol protocol = new OpenAiProtocol(new MistralDialect());

  @Override
  public String name() {
    return "mistral";
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

  @Override
  public Headers normalize(int status, Headers headers) {
    String reset = headers.get("ratelimitbysize-reset");
    if (status == 429 && headers.get("retry-after") == null && reset != null && reset.trim().matches("\\d{1,6}")) {
      return headers.with("Retry-After", reset.trim());
    }
    return headers;
  }
}
