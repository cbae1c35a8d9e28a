package io.reliapi.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a server of OpenAI's protocol that is neither OpenAI's API nor Azure (here the mock, as Ollama, LM Studio or
 * llama-server would be), the output limit keeps the name the client used, {@code max_tokens} when it named none,
 * whatever the model id reads as: those servers ignore {@code max_completion_tokens}. OpenAI's and Azure's names are
 * {@code OutputLimitNameTest}'s table (no test reaches their hosts).
 */
class ReasoningModelLimitEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gpt5:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-5-mini, max_tokens: 200}
        gpt4o:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 200}
      """.formatted(up.baseUrl())));

  static final String MESSAGES = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @BeforeEach
  void answer() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-5-mini", "Hello.", 8, 2));
  }

  /** Asserts that the last call carried its output limit as {@code name}, {@code limit}, and not the other name. */
  static void sentAs(String name, int limit) {
    JsonNode sent = Json.parseOrNull(e2e.up().last().bodyText().getBytes(StandardCharsets.UTF_8));
    assertThat(sent.get(name).asInt()).isEqualTo(limit);
    assertThat(sent.has(name.equals("max_tokens") ? "max_completion_tokens" : "max_tokens")).isFalse();
  }

  /** Sends a Chat Completions request naming no limit to {@code model} on {@code target}. */
  static void chat(String model, String target) {
    var res = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"" + model + "\", \"messages\": " + MESSAGES + "}", "X-ReliAPI-Target", target);
    assertThat(res.status()).isEqualTo(200);
  }

  /** Found in review: a local alias that reads as a reasoning model got max_completion_tokens, and lost its cap. */
  @Test
  void aRequestWithNoLimitToALocalReasoningAliasIsSentMaxTokens() {
    chat("gpt-5-mini", "gpt5");
    sentAs("max_tokens", 200);

    var proxied = e2e.gw().http.post("/proxy/llm",
        "{\"target\": \"gpt5\", \"max_tokens\": 50, \"messages\": " + MESSAGES + "}");
    assertThat(proxied.status()).isEqualTo(200);
    sentAs("max_tokens", 50);
  }

  @Test
  void aClientsMaxCompletionTokensKeepsItsName() {
    var raw = e2e.gw().http.post("/t/gpt5/chat/completions", "{\"model\": \"gpt-5-mini\", \"max_completion_tokens\": 60, "
        + "\"messages\": " + MESSAGES + "}");
    assertThat(raw.status()).isEqualTo(200);
    sentAs("max_completion_tokens", 60);
  }

  @Test
  void aModelThatDoesNotReasonKeepsMaxTokens() {
    chat("gpt-4o-mini", "gpt4o");
    sentAs("max_tokens", 200);
  }
}
