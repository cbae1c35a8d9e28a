package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic's fast mode ({@code "speed": "fast"}, with the {@code fast-mode-2026-02-01} beta) bills Claude Opus 4.6
 * and 4.7 at six times their price (USD 30 / 150 per 1M against 5 / 25), and the price table has only the standard
 * price (docs/guides/budget-control.md, "Premium serving"). A call of 1 000 output tokens is estimated at about
 * 0.025 USD, under a cap of 0.05, while fast mode may bill it 0.15: a capped or budgeted target refuses it before
 * the call, on every route that can carry it.
 */
class FastModeCostEndToEndTest {
  static final String KEY = "fast-secret";
  static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"Refactor this module.\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("anthropic"), up -> GatewayHarness.yaml("""
      clients:
        - {name: c, key_env: FAST_KEY}
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-opus-4-6, max_tokens: 1000, hard_cost_cap_usd: 0.05}
        open:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-opus-4-6, max_tokens: 1000}
      """.formatted(up.get("anthropic").baseUrl())).env("FAST_KEY", KEY));

  static void answers() {
    e2e.up("anthropic").otherwise("POST /v1/messages",
        LlmBehaviors.anthropic("claude-opus-4-6", "Done.", 20, 1000));
  }

  static String messagesBody(String more) {
    return "{\"model\": \"claude-opus-4-6\", \"max_tokens\": 1000, " + MESSAGES + more + "}";
  }

  static void assertRefusedWithoutACall(Res res) {
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(res, e2e.up("anthropic"), "speed' (fast)");
  }

  @Test
  void fastModeIsRefusedOnACappedTargetOnV1Messages() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/v1/messages", messagesBody(", \"speed\": \"fast\""),
        "anthropic-version", "2023-06-01", "anthropic-beta", "fast-mode-2026-02-01",
        "X-ReliAPI-Target", "capped", "X-API-Key", KEY));
  }

  @Test
  void fastModeIsRefusedOnACappedTargetOnTheRawMessagesRoute() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/t/capped/messages", messagesBody(", \"speed\": \"fast\""),
        "anthropic-version", "2023-06-01", "anthropic-beta", "fast-mode-2026-02-01", "X-API-Key", KEY));
  }

  @Test
  void fastModeInExtraIsRefusedOnACappedTargetOnProxyLlm() {
    answers();
    assertRefusedWithoutACall(e2e.gw().http.post("/proxy/llm",
        "{\"target\": \"capped\", \"max_tokens\": 1000, " + MESSAGES + ", \"extra\": {\"speed\": \"fast\"}}",
        "X-API-Key", KEY));
  }

  @Test
  void standardSpeedRunsOnTheCappedTargetAndFastModeOnAnOpenTarget() {
    answers();
    Res standard = e2e.gw().http.post("/v1/messages", messagesBody(", \"speed\": \"standard\""),
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "capped", "X-API-Key", KEY);
    assertThat(standard.status()).as(standard.body()).isEqualTo(200);

    Res fast = e2e.gw().http.post("/v1/messages", messagesBody(", \"speed\": \"fast\""),
        "anthropic-version", "2023-06-01", "anthropic-beta", "fast-mode-2026-02-01",
        "X-ReliAPI-Target", "open", "X-API-Key", KEY);
    assertThat(fast.status()).as(fast.body()).isEqualTo(200);
    assertThat(e2e.up("anthropic").last().bodyText()).contains("\"speed\":\"fast\"");
    assertThat(e2e.up("anthropic").total()).isEqualTo(2);
  }
}
