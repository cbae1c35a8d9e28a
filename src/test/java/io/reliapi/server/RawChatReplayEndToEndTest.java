package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw route's chat stream reaches its client as the provider's own bytes, so a keyed or cached one is kept
 * and replayed as those bytes, in the provider's protocol, not as the gateway's neutral completion.
 */
class RawChatReplayEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        keyed:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        cached:
          base_url: "%1$s/v1"
          cache: {ttl_s: 60}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        claude:
          base_url: "%1$s/anthropic/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
      """.formatted(up.baseUrl())));

  static String streamed(String model) {
    return "{\"model\": \"" + model + "\", \"max_tokens\": 30, \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
  }

  @Test
  void aKeyedRawOpenAiStreamReplaysAsTheSameProviderBytes() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));

    Res first = e2e.gw().http.post("/t/keyed/chat/completions", streamed("gpt-4o-mini"), "Idempotency-Key", "raw-1");
    Res again = e2e.gw().http.post("/t/keyed/chat/completions", streamed("gpt-4o-mini"), "Idempotency-Key", "raw-1");

    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("Content-Type")).startsWith("text/event-stream");
    assertThat(again.body()).isEqualTo(first.body()).contains("data: [DONE]");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aKeyedRawAnthropicStreamReplaysInAnthropicsOwnEvents() {
    List<String> events = LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hi", "!"), 8, 2);
    e2e.up().script("POST /anthropic/v1/messages", LlmBehaviors.sse(events, 1));

    Res first = e2e.gw().http.post("/t/claude/messages", streamed("claude-haiku-4-5"), "Idempotency-Key", "raw-2");
    Res again = e2e.gw().http.post("/t/claude/messages", streamed("claude-haiku-4-5"), "Idempotency-Key", "raw-2");

    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(first.body()).isEqualTo(String.join("", events));
    assertThat(e2e.up().count("/anthropic/v1/messages")).isEqualTo(1);
  }

  @Test
  void aCachedRawStreamIsServedAsTheProviderBytes() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hello", " there"), 8, 2);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));

    Res first = e2e.gw().http.post("/t/cached/chat/completions", streamed("gpt-4o-mini"));
    Res hit = e2e.gw().http.post("/t/cached/chat/completions", streamed("gpt-4o-mini"));

    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Content-Type")).startsWith("text/event-stream");
    assertThat(hit.body()).isEqualTo(first.body());
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }
}
