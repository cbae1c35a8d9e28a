package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request too long for the model reaches the client in the words its tools look for, whichever provider said
 * it: Claude Code compacts its conversation when an error's message contains "prompt is too long" (and reads the
 * counts after it), OpenAI-protocol libraries look for "maximum context length" or {@code context_length_exceeded}.
 * Before, every route said only "The provider answered with status 400 (invalid_request_error)", and an agent
 * behind the gateway stopped instead of compacting.
 */
class ContextOverflowEndToEndTest {
  static final String OPENAI_TOO_LONG = """
      {"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in \
      9631 tokens. Please reduce the length of the messages. sk-proj-abc","type":"invalid_request_error",\
      "param":"messages","code":"context_length_exceeded"}}""";
  static AnthropicClient anthropic;
  static OpenAIClient openai;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini}
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  @BeforeAll
  static void start() {
    String root = e2e.gw().http.url("");
    anthropic = AnthropicOkHttpClient.builder().baseUrl(root).apiKey("k").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
    openai = OpenAIOkHttpClient.builder().baseUrl(root + "/v1").apiKey("k").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    anthropic.close();
    openai.close();
  }

  static Behavior openAiTooLong() {
    return Behavior.respond(400, LlmBehaviors.openAiHeaders(), OPENAI_TOO_LONG);
  }

  static MessageCreateParams ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Hello").build();
  }

  @Test
  void claudeCodeReadsAnOpenAiOverflowAsPromptIsTooLong() {
    e2e.up().script("POST /v1/chat/completions", openAiTooLong());

    assertThatThrownBy(() -> anthropic.messages().create(ask("openai/gpt-4o-mini")))
        .satisfies(e -> assertThat(e.getMessage().toLowerCase())
            .contains("prompt is too long: 9631 tokens > 8192 maximum")
            .doesNotContain("sk-proj"));
  }

  @Test
  void anthropicsOwnOverflowKeepsItsWordsAndCountsOnEveryRoute() {
    Behavior tooLong = LlmBehaviors.anthropicError(400, "invalid_request_error",
        "prompt is too long: 208351 tokens > 200000 maximum", Map.of());
    e2e.up().script("POST /v1/messages", tooLong, tooLong, tooLong);

    assertThatThrownBy(() -> anthropic.messages().createStreaming(ask("claude/claude-haiku-4-5")).stream().count())
        .satisfies(e -> assertThat(e.getMessage()).contains("prompt is too long: 208351 tokens > 200000 maximum"));
    assertThatThrownBy(() -> openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude/claude-haiku-4-5").addUserMessage("Hello").build()))
        .satisfies(e -> assertThat(e.getMessage()).contains("maximum context length", "context_length_exceeded"));
    Res proxy = e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hi\"}]}");
    JsonNode error = proxy.json().get("error");
    assertThat(error.get("message").asText()).contains("prompt is too long: 208351 tokens > 200000 maximum");
    assertThat(error.get("details").get("provider_error").get("code").asText()).isEqualTo("context_length_exceeded");
  }

  @Test
  void vllmsStreamedRefusalIsA400InTheWordsForOutputOverTheLimit() {
    String error = "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. "
        + "However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).\",\"type\":"
        + "\"BadRequestError\",\"param\":null,\"code\":400}";
    for (String event : List.of("{\"error\":" + error + "}", error)) {
      e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(List.of("data: " + event + "\n\n"), 1));
      Res v1 = e2e.gw().http.post("/v1/messages", "{\"model\": \"openai/gpt-4o-mini\", \"stream\": true, "
          + "\"max_tokens\": 1000, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

      assertThat(v1.status()).as("was a 500 (wrapped) or a 502 (bare): %s", event).isEqualTo(400);
      assertThat(v1.json().get("error").get("message").asText())
          .contains("input length and `max_tokens` exceed context limit: 4000 + 1000 > 4096");
    }
    assertThat(e2e.up().count("/v1/chat/completions")).as("never retried").isEqualTo(2);
  }

  @Test
  void anOverflowSentAsAnErrorEventInsideA200SaysTheSame() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(List.of("data: {\"error\":{\"message\":\"This "
        + "model's maximum context length is 8192 tokens. However, your messages resulted in 9631 tokens.\","
        + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}\n\n"), 1));
    Res v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"openai/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(v1.status()).isEqualTo(400);
    assertThat(v1.json().get("error").get("message").asText())
        .contains("prompt is too long: 9631 tokens > 8192 maximum", "maximum context length");
  }
}
