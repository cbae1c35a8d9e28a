package io.reliapi.llm.mistral;

import io.reliapi.http.Headers;
import io.reliapi.llm.openai.OpenAiProvider;

/**
 * Mistral's chat API ({@code https://api.mistral.ai/v1}): OpenAI's protocol with {@link MistralDialect}'s
 * departures, Mistral's flat error bodies ({@code {"object": "error", "message", "type", "code"}}, or
 * {@code {"detail": ...}} / {@code {"message": "Unauthorized"}} in front of the API), and its rate-limit
 * headers: a 429 without {@code Retry-After} gets one from {@code ratelimitbysize-reset} (seconds).
 */
public final class MistralProvider extends OpenAiProvider {

  public MistralProvider() {
    super("mistral", new MistralDialect(), MistralDialect.EMBEDDINGS);
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
