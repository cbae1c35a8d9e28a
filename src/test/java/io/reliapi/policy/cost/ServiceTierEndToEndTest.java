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
 * OpenAI's priority service tier bills above the standard price (docs/guides/budget-control.md, "Service tiers"): it
 * is priced at the model's priority price where the built-in table has one (gpt-4o-mini: 0.25 / 1 USD per 1M tokens
 * against 0.15 / 0.6), and refused before the call where a cap or a period budget applies and it has none
 * (gpt-3.5-turbo, or a model the target prices itself), on chat, the Responses API and {@code /proxy/llm}. Flex,
 * billed below the standard price, is priced at it (gpt-5-mini: 0.25 / 2).
 */
class ServiceTierEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic"),
      up -> GatewayHarness.yaml("""
        targets:
          gpt-budgeted:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, budget: {daily_usd: 10}}
          gpt-capped:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, hard_cost_cap_usd: 1, responses_api: true}
          gpt-own-price:
            base_url: "%1$s/v1"
            llm:
              provider: openai
              default_model: gpt-4o-mini
              hard_cost_cap_usd: 1
              prices: {gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}
          gpt-open:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
          claude-capped:
            base_url: "%2$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, hard_cost_cap_usd: 1}
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl())));

  static Res chat(String target, String model, String tier) {
    return e2e.gw().http.post("/v1/chat/completions", """
        {"model": "%s", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}], \
        "service_tier": "%s"}""".formatted(model, tier), "X-ReliAPI-Target", target);
  }

  /** Asks {@code target} for {@code model} in {@code tier}, which must serve it and send the tier as written. */
  static Res served(String target, String model, String tier) {
    Res served = chat(target, model, tier);
    assertThat(served.status()).isEqualTo(200);
    assertThat(e2e.up("openai").last().body().toString()).contains("\"service_tier\":\"" + tier + "\"");
    return served;
  }

  static void refusedNaming(Res refused, String field) {
    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(error.get("message").asText()).contains("'" + field + "'").contains("priority");
    assertThat(error.get("details").get("field").asText()).isEqualTo(field);
  }

  @Test
  void thePriorityTierIsPricedAtTheModelsPriorityPriceAndSettledAtIt() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello!", 8, 2));

    Res served = served("gpt-capped", "gpt-4o-mini", "priority");

    // 8 × 0.25 / 1M + 2 × 1 / 1M; at the standard price it was 0.0000024.
    assertThat(served.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000004");
  }

  @Test
  void aModelWithoutAPriorityPriceIsRefusedOnACappedTargetOnChatTheResponsesApiAndProxyLlm() {
    Res chat = chat("gpt-capped", "gpt-3.5-turbo", "priority");
    Res responses = e2e.gw().http.post("/v1/responses", """
        {"model": "gpt-3.5-turbo", "input": "Hi", "max_output_tokens": 50, "service_tier": "priority"}""",
        "X-ReliAPI-Target", "gpt-capped");
    Res proxied = e2e.gw().http.post("/proxy/llm", """
        {"target": "gpt-capped", "model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "Hi"}], \
        "max_tokens": 50, "extra": {"service_tier": "priority"}}""");
    Res ownPrice = chat("gpt-own-price", "gpt-4o-mini", "priority");

    refusedNaming(chat, "service_tier");
    refusedNaming(responses, "service_tier");
    refusedNaming(proxied, "extra.service_tier");
    refusedNaming(ownPrice, "service_tier");
    assertThat(e2e.up("openai").total()).isZero();
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_budget_events_total{event=\"unpriced_tier\",target=\"gpt-capped\"}");
  }

  @Test
  void aPeriodBudgetRefusesThePriorityTierOfAModelWithoutItsPriceOnATargetWithoutCaps() {
    refusedNaming(chat("gpt-budgeted", "gpt-3.5-turbo", "priority"), "service_tier");
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void withoutCapsOrBudgetsThePriorityTierIsForwardedAndFlexIsPricedAtTheStandardPrice() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-5-mini", "Hello!", 8, 2));
    e2e.up("openai").otherwise("POST /v1/responses", ResponsesBehaviors.answer("gpt-5-mini", "Hello!", 8, 2));

    served("gpt-open", "gpt-3.5-turbo", "priority");
    Res flex = served("gpt-capped", "gpt-5-mini", "flex");
    // 8 × 0.25 / 1M + 2 × 2 / 1M, the standard price (flex would be half).
    assertThat(flex.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000006");
  }

  /** Anthropic's API has no priority tier and the translation drops the field: nothing to price. */
  @Test
  void aCappedTargetOfAnotherProviderServesTheRequestWithoutTheField() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Hello!", 8, 2));

    Res served = chat("claude-capped", "claude-haiku-4-5", "priority");

    assertThat(served.status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").last().body().toString()).doesNotContain("service_tier");
  }
}
