package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's priority service tier bills above the standard price, the only one the price table holds: where a cap or
 * a period budget applies it is refused before the call, on chat and the Responses API, as an unpriced tool is
 * (docs/guides/budget-control.md, "Service tiers"). Flex, billed below the standard price, is priced at it.
 */
class ServiceTierEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic"),
      up -> GatewayHarness.yaml("""
        clients:
          - {name: free, key_env: FREE_KEY}
          - {name: frugal, key_env: FRUGAL_KEY, budget: {daily_usd: 10}}
        targets:
          gpt-capped:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, hard_cost_cap_usd: 1, responses_api: true}
          gpt-open:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
          claude-capped:
            base_url: "%2$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, hard_cost_cap_usd: 1}
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl()))
          .env("FREE_KEY", "free-secret").env("FRUGAL_KEY", "frugal-secret"));

  static Res chat(String target, String tier, String key) {
    return e2e.gw().http.post("/v1/chat/completions", """
        {"model": "gpt-4o-mini", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}], \
        "service_tier": "%s"}""".formatted(tier), "X-ReliAPI-Target", target, "Authorization", "Bearer " + key);
  }

  static void refusedNaming(Res refused, String field) {
    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(error.get("message").asText()).contains("'" + field + "'").contains("priority");
    assertThat(error.get("details").get("field").asText()).isEqualTo(field);
  }

  @Test
  void thePriorityTierIsRefusedOnACappedTargetOnChatTheResponsesApiAndProxyLlm() {
    Res chat = chat("gpt-capped", "priority", "free-secret");
    Res responses = e2e.gw().http.post("/v1/responses", """
        {"model": "gpt-4o-mini", "input": "Hi", "max_output_tokens": 50, "service_tier": "priority"}""",
        "X-ReliAPI-Target", "gpt-capped", "Authorization", "Bearer free-secret");

    Res proxied = e2e.gw().http.post("/proxy/llm", """
        {"target": "gpt-capped", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 50, \
        "extra": {"service_tier": "priority"}}""", "Authorization", "Bearer free-secret");

    refusedNaming(chat, "service_tier");
    refusedNaming(responses, "service_tier");
    refusedNaming(proxied, "extra.service_tier");
    assertThat(e2e.up("openai").total()).isZero();
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_budget_events_total{event=\"unpriced_tier\",target=\"gpt-capped\"}");
  }

  @Test
  void aClientsBudgetRefusesThePriorityTierOnATargetWithoutCaps() {
    refusedNaming(chat("gpt-open", "priority", "frugal-secret"), "service_tier");
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void withoutCapsOrBudgetsThePriorityTierIsForwardedAndFlexIsServedWhereCapsApply() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello!", 8, 2));
    e2e.up("openai").otherwise("POST /v1/responses", ResponsesBehaviors.answer("gpt-4o-mini", "Hello!", 8, 2));

    assertThat(chat("gpt-open", "priority", "free-secret").status()).isEqualTo(200);
    assertThat(e2e.up("openai").last().body().toString()).contains("\"service_tier\":\"priority\"");
    assertThat(chat("gpt-capped", "flex", "free-secret").status()).isEqualTo(200);
    assertThat(e2e.up("openai").last().body().toString()).contains("\"service_tier\":\"flex\"");
  }

  /** Anthropic's API has no priority tier and the translation drops the field: nothing to price. */
  @Test
  void aCappedTargetOfAnotherProviderServesTheRequestWithoutTheField() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Hello!", 8, 2));

    Res served = chat("claude-capped", "priority", "free-secret");

    assertThat(served.status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").last().body().toString()).doesNotContain("service_tier");
  }
}
