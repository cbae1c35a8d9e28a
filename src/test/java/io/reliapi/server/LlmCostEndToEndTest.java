package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cost estimates, caps, actual costs and their metrics, end to end, with exact numbers. The prompt is one
 * user message "Hello": 8 tokens (3 per message, "user", "Hello", 3 to prime the reply).
 */
class LlmCostEndToEndTest {
  static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 1024,
                soft_cost_cap_usd: 0.0005, hard_cost_cap_usd: 0.0006}
        strict:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, max_tokens: 1024, hard_cost_cap_usd: 0.005}
        house:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: house-model, hard_cost_cap_usd: 0.01}
        local:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: local-llama}
        metered:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
      """.formatted(up.baseUrl())));

  static io.reliapi.testing.TestHttp.Res ask(String target) {
    return e2e.gw().http.post("/proxy/llm", "{\"target\": \"" + target + "\", \"messages\": " + HELLO + "}");
  }

  @Test
  void theSoftCapLowersMaxTokensToTheLargestValueUnderIt() {
    // 8 × 0.15 / 1M + 1024 × 0.6 / 1M = 0.0006156 > 0.0005
    // → (0.0005 − 0.0000012) / 0.0000006 = 831.33 → 831 tokens, estimate 0.0004998 (under the hard cap 0.0006)
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    var r = ask("capped");

    assertThat(r.status()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("max_tokens").asInt()).isEqualTo(831);
    JsonNode meta = r.json().get("meta");
    assertThat(meta.get("cost_policy_applied").asText()).isEqualTo("soft_cap_throttled");
    assertThat(meta.get("max_tokens_reduced").asBoolean()).isTrue();
    assertThat(meta.get("original_max_tokens").asInt()).isEqualTo(1024);
    assertThat(meta.get("cost_estimate_usd").decimalValue()).isEqualByComparingTo("0.0004998");
    // actual: 8 × 0.15 / 1M + 2 × 0.6 / 1M
    assertThat(meta.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000024");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000024");
  }

  @Test
  void theHardCapRejectsBeforeAnyUpstreamCallWithTheEstimateCapModelAndMaxTokens() {
    // 8 × 2.5 / 1M + 1024 × 10 / 1M = 0.01026 > 0.005
    var r = ask("strict");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(error.get("details")).isEqualTo(Json.parseOrNull("""
        {"estimate": 0.01026, "cap": 0.005, "model": "gpt-4o", "max_tokens": 1024}""".getBytes()));
    assertThat(r.json().get("meta").get("cost_policy_applied").asText()).isEqualTo("hard_cap_rejected");
    assertThat(r.json().get("meta").get("cost_estimate_usd").decimalValue()).isEqualByComparingTo("0.01026");
    assertThat(e2e.up().total()).isZero();

    var v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"strict/gpt-4o\", \"messages\": " + HELLO + "}");
    assertThat(v1.status()).isEqualTo(400);
    assertThat(v1.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void anUnpricedModelOnACappedTargetIsRejected() {
    var r = ask("house");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(r.json().get("error").get("details").get("model").asText()).isEqualTo("house-model");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void anUnpricedModelWithoutCapsRunsWithUnknownCost() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("local-llama", "Hi!", 8, 2));
    var r = ask("local");

    assertThat(r.status()).isEqualTo(200);
    JsonNode meta = r.json().get("meta");
    assertThat(meta.get("cost_usd").isNull()).isTrue();
    assertThat(meta.get("cost_estimate_usd").isNull()).isTrue();
    assertThat(meta.get("cost_policy_applied").asText()).isEqualTo("none");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isNull();
  }

  @Test
  void countsTokensCostAndBudgetEventsInMetricsWithBoundedModelLabels() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hi!", 9, 3));
    ask("metered");
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hi!", 9, 3));
    e2e.gw().http.post("/proxy/llm", "{\"target\": \"metered\", \"model\": \"some-client-invented-model\", \"messages\": "
        + HELLO + "}");
    ask("strict");

    String metrics = e2e.gw().http.get("/metrics").body();
    assertThat(metrics).contains("reliapi_llm_tokens_total{model=\"gpt-4o-mini\",target=\"metered\",type=\"prompt\"} 9.0");
    assertThat(metrics).contains("reliapi_llm_tokens_total{model=\"gpt-4o-mini\",target=\"metered\",type=\"completion\"} 3.0");
    assertThat(metrics).contains("reliapi_llm_tokens_total{model=\"other\",target=\"metered\",type=\"prompt\"} 9.0");
    // 9 × 0.15 / 1M + 3 × 0.6 / 1M
    assertThat(metrics).contains("reliapi_llm_cost_usd_total{model=\"gpt-4o-mini\",target=\"metered\"} 3.15E-6");
    assertThat(metrics).doesNotContain("some-client-invented-model");
    assertThat(metrics).contains("reliapi_budget_events_total{event=\"hard_cap\",target=\"strict\"}");
  }
}
