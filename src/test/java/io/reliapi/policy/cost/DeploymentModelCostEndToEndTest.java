package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deployment's {@code model} replaces whatever model a call names: it is the name that deployment knows the target's
 * {@code default_model} by (docs/load-balancing.md). A client of a capped target whose deployments rename the model
 * that named a cheaper model would be estimated, and charged, at the cheaper model's price while gpt-4o answers; so
 * such a call is refused before any call. gpt-4o costs $2.50 / $10 per 1M: 1 000 output tokens are 0.01 USD, over the
 * cap of 0.005, while gpt-4o-mini's 0.0006 fits.
 */
class DeploymentModelCostEndToEndTest {
  static final String HELLO = "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        azure:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, max_tokens: 1000, hard_cost_cap_usd: 0.005}
          deployments: [{name: east, model: prod-4o}]
        open:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, max_tokens: 1000}
          deployments: [{name: east, model: prod-4o}]
      """.formatted(up.baseUrl())));

  static Res ask(String target, String model, int maxTokens) {
    e2e.up().reset();
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("prod-4o", "Hi", 8, 2));
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"" + target + "/" + model + "\", \"max_tokens\": "
        + maxTokens + ", " + HELLO + "}");
  }

  @Test
  void aCheaperModelNamedOnACappedTargetWhoseDeploymentsRenameTheModelIsRefusedBeforeTheCall() {
    Res res = ask("azure", "gpt-4o-mini", 1000);

    AudioCostEndToEndTest.assertRefusedBeforeTheCall(res, e2e.up(), "gpt-4o-mini");
  }

  @Test
  void theTargetsOwnModelIsEstimatedAtItsPriceAndSentUnderTheDeploymentsName() {
    assertThat(ask("azure", "gpt-4o", 1000).body()).contains("BUDGET_EXCEEDED");

    Res fits = ask("azure", "gpt-4o", 100);
    assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("prod-4o");
  }

  @Test
  void aTargetWithoutCapsOrBudgetsServesAnyNameAsBefore() {
    assertThat(ask("open", "gpt-4o-mini", 1000).status()).isEqualTo(200);
  }
}
