package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Extended thinking under the gateway's output limits: Anthropic refuses a {@code thinking.budget_tokens} that is
 * not below {@code max_tokens}, so where a target's {@code llm.max_tokens} or a soft cost cap lowers
 * {@code max_tokens} under the client's budget, the budget comes down with it; where no thinking fits, the
 * gateway refuses before any call instead of sending a request Anthropic would refuse.
 */
class ThinkingBudgetEndToEndTest {
  private static final String MESSAGES = "POST /v1/messages";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        limited:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 2048}
        throttled:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 16000, soft_cost_cap_usd: 0.01}
        tight:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 1000}
      """.formatted(up.baseUrl())));

  @BeforeEach
  void clean() {
    e2e.up().script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Thought it through", 12, 6));
  }

  private static TestHttp.Res think(String target, int maxTokens, int budget) {
    return e2e.gw().http.post("/v1/messages", """
        {"model": "%s/claude-haiku-4-5", "max_tokens": %d, "thinking": {"type": "enabled", "budget_tokens": %d},
         "messages": [{"role": "user", "content": "Why is the sky blue?"}]}""".formatted(target, maxTokens, budget),
        "anthropic-version", "2023-06-01");
  }

  private static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  @Test
  void lowersTheThinkingBudgetUnderTheTargetsOutputLimit() {
    var res = think("limited", 16000, 10000);

    assertThat(res.status()).isEqualTo(200);
    assertThat(sent().get("max_tokens").asInt()).isEqualTo(2048);
    assertThat(sent().get("thinking").get("budget_tokens").asInt()).isEqualTo(2047);
    assertThat(sent().get("thinking").get("type").asText()).isEqualTo("enabled");
  }

  @Test
  void lowersTheThinkingBudgetUnderWhatTheSoftCapLeaves() {
    var res = think("throttled", 16000, 10000);

    assertThat(res.status()).isEqualTo(200);
    int maxTokens = sent().get("max_tokens").asInt();
    assertThat(maxTokens).as("the soft cap throttled max_tokens").isLessThan(10000).isGreaterThan(1024);
    assertThat(sent().get("thinking").get("budget_tokens").asInt()).isEqualTo(maxTokens - 1);
  }

  @Test
  void refusesBeforeAnyCallWhenTheLimitLeavesNoRoomForThinking() {
    var res = think("tight", 16000, 4000);

    assertThat(res.status()).isEqualTo(400);
    assertThat(res.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(res.json().get("error").get("message").asText()).contains("1024").contains("1000");
    assertThat(e2e.up().count("/v1/messages")).isZero();
  }

  @Test
  void leavesABudgetAloneThatFitsAndAClientsOwnInconsistentRequestAsWritten() {
    assertThat(think("limited", 2000, 1500).status()).isEqualTo(200);
    assertThat(sent().get("thinking").get("budget_tokens").asInt()).isEqualTo(1500);

    // The client's own max_tokens is not above its budget: Anthropic answers that request as it was written.
    e2e.up().script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Thought it through", 12, 6));
    assertThat(think("limited", 1500, 1500).status()).isEqualTo(200);
    assertThat(sent().get("thinking").get("budget_tokens").asInt()).isEqualTo(1500);
    assertThat(sent().get("max_tokens").asInt()).isEqualTo(1500);
  }
}
