package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
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
 * a per-call hard cap. gpt-5 costs 1.25 USD per 1M input tokens and 10 per 1M output: 1 000 output tokens are
 * 0.01 USD of the 0.02 cap.
 */
class CodexReasoningCostEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        capped:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true, hard_cost_cap_usd: 0.02}
        other-org:
          base_url: "%1$s/a/v1"
          %2$s
          fallback_targets: [capped]
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
        chat-capped:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, hard_cost_cap_usd: 0.02}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /** Codex's turn ({@link CodexCliEndToEndTest#turn}) to {@code model}, with {@code encrypted} reasoning. */
  static String turn(String model, String encrypted) {
    return CodexCliEndToEndTest.turn(model, false)
        .replace("\"encrypted_content\": \"gAAAAABpRk1\"", "\"encrypted_content\": \"" + encrypted + "\"")
        .replace("\"store\": false", "\"max_output_tokens\": 1000, \"store\": false");
  }

  static TestHttp.Res post(String body) {
    return e2e.gw().http.post("/v1/responses", body);
  }

  @Test
  void reasoningItemsThatPushTheEstimateOverTheHardCapAreRefusedBeforeSending() {
    // 20 000 characters of encrypted reasoning count as 20 000 tokens: 0.025 USD of input alone.
    var refused = post(turn("capped/gpt-5", "gAAAAABpRk1" + "Zm9v".repeat(5_000)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().count("/v1/responses")).isZero();
  }

  @Test
  void aTurnWithSmallReasoningItemsFitsTheCapAndIsSentAsWritten() {
    String encrypted = "gAAAAABpRk1" + "Zm9v".repeat(500);
    assertThat(served("/v1/responses", ResponsesBehaviors.answer("gpt-5", "Done.", 900, 5), "capped/gpt-5", encrypted))
        .contains(encrypted);
  }

  /** A target without the Responses API is sent a translation without the reasoning items, and is not billed them. */
  @Test
  void aTargetSentATranslationWithoutTheReasoningItemsIsNotEstimatedWithThem() {
    String encrypted = "gAAAAABpRk1" + "Zm9v".repeat(5_000);
    assertThat(served("/v1/chat/completions", LlmBehaviors.openAi("gpt-5", "Done.", 900, 5), "chat-capped/gpt-5",
        encrypted)).doesNotContain(encrypted);
  }

  /**
   * Once a call refused the reasoning items, every later call goes without them, a fallback target's too: its
   * estimate does not count them (they would take the turn over the cap it fits without them).
   */
  @Test
  void aFallbackSentTheTurnWithoutItsReasoningItemsIsNotEstimatedWithThem() {
    e2e.up().script("POST /a/v1/responses",
        Behavior.respond(400, java.util.Map.of("Content-Type", "application/json"),
            ForeignReasoningEndToEndTest.REFUSAL),
        Behavior.respond(503, java.util.Map.of(), "busy"));
    String encrypted = "gAAAAABpRk1" + "Zm9v".repeat(5_000);

    assertThat(served("/v1/responses", ResponsesBehaviors.answer("gpt-5", "Done.", 900, 5), "other-org/gpt-5",
        encrypted)).doesNotContain("gAAAAABpRk1");
    assertThat(e2e.up().count("/a/v1/responses")).isEqualTo(2);
  }

  /** Sends the turn to {@code model}, answered at {@code path} by {@code answer}; returns the body the upstream got. */
  private static String served(String path, Behavior answer, String model, String encrypted) {
    e2e.up().script("POST " + path, answer);
    var served = post(turn(model, encrypted));
    assertThat(served.status()).isEqualTo(200);
    return e2e.up().last().body().toString();
  }
}
