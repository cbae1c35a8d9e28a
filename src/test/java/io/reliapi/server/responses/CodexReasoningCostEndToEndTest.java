package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Codex's tool loop sends its earlier reasoning back in {@code input}, encrypted, and a Responses API target is sent
 * it as written and may bill it as input: the estimate counts it, so large reasoning items cannot walk a request past
 * a per-call hard cap.
 */
class CodexReasoningCostEndToEndTest {
  /** gpt-5: 1.25 USD per 1M input tokens, 10 per 1M output; 1 000 output tokens are 0.01 USD of the cap. */
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
      default_llm_target: capped
      clients:
        - {name: codex, key_env: CODEX_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true, hard_cost_cap_usd: 0.02}
        chat-capped:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, hard_cost_cap_usd: 0.02}
      """).formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("CODEX_KEY", "k-codex"));

  /** Codex's turn ({@link CodexCliEndToEndTest#turn}) with its reasoning item's encrypted content {@code encrypted}. */
  static String turn(String encrypted) {
    return turn("gpt-5", encrypted);
  }

  static String turn(String model, String encrypted) {
    return CodexCliEndToEndTest.turn(model, false)
        .replace("\"encrypted_content\": \"gAAAAABpRk1\"", "\"encrypted_content\": \"" + encrypted + "\"")
        .replace("\"store\": false", "\"max_output_tokens\": 1000, \"store\": false");
  }

  static TestHttp.Res post(String body) {
    return e2e.gw().http.post("/v1/responses", body, "Authorization", "Bearer k-codex");
  }

  @Test
  void reasoningItemsThatPushTheEstimateOverTheHardCapAreRefusedBeforeSending() {
    // 20 000 characters of encrypted reasoning count as 20 000 tokens: 0.025 USD of input alone.
    var refused = post(turn("gAAAAABpRk1" + "Zm9v".repeat(5_000)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().count("/v1/responses")).isZero();
  }

  @Test
  void aTurnWithSmallReasoningItemsFitsTheCapAndIsSentAsWritten() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.answer("gpt-5", "Done.", 900, 5));
    String encrypted = "gAAAAABpRk1" + "Zm9v".repeat(500);
    var served = post(turn(encrypted));

    assertThat(served.status()).isEqualTo(200);
    assertThat(e2e.up().last().body().toString()).contains(encrypted);
  }

  /** A target without the Responses API is sent a translation, which drops the reasoning items: it is not billed them. */
  @Test
  void aTargetSentATranslationWithoutTheReasoningItemsIsNotEstimatedWithThem() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-5", "Done.", 900, 5));
    String encrypted = "gAAAAABpRk1" + "Zm9v".repeat(5_000);
    var served = post(turn("chat-capped/gpt-5", encrypted));

    assertThat(served.status()).isEqualTo(200);
    assertThat(e2e.up().last().body().toString()).doesNotContain(encrypted);
  }
}
