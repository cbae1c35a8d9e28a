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
 * {@code default_model} by (docs/load-balancing.md). A call to a capped target whose deployments rename the model that
 * names another model is priced at the dearer of the two, so a cheaper name never lowers the estimate or the charge,
 * and another dated id of the same model (Claude Code's, an Azure pool's) still runs; one whose price is unknown is
 * refused before any call. gpt-4o costs $2.50 / $10 per 1M: 1 000 output tokens are 0.01 USD, over the cap of 0.005,
 * while gpt-4o-mini's 0.0006 fits.
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
        failing:
          base_url: "%1$s/failing/v1"
          retry_matrix: {"5xx": {attempts: 1}}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 1000}
          fallback_targets: [pool]
        pool:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: gpt-4o
            max_tokens: 1000
            hard_cost_cap_usd: 0.05
            prices: {gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}
          deployments: [{name: east, model: prod-4o}]
        mini-pool:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, responses_api: false, max_tokens: 10,
                hard_cost_cap_usd: 0.05}
          deployments: [{name: east, model: prod-mini}]
        search-pool:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: gpt-4o-search-preview
            max_tokens: 10
            hard_cost_cap_usd: 0.05
            prices: {gpt-4o-search-preview: {input_per_1m: 2.5, output_per_1m: 10}}
          deployments: [{name: east, model: prod-search}]
      """.formatted(up.baseUrl())));

  static Res ask(String target, String model, int maxTokens) {
    e2e.up().reset();
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("prod-4o", "Hi", 8, 2));
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"" + target + "/" + model + "\", \"max_tokens\": "
        + maxTokens + ", " + HELLO + "}");
  }

  @Test
  void aCheaperModelNamedOnACappedTargetWhoseDeploymentsRenameTheModelIsEstimatedAndChargedAtTheDefaultModelsPrice() {
    assertThat(ask("azure", "gpt-4o-mini", 1000).body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();

    Res fits = ask("azure", "gpt-4o-mini", 100);
    assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    // 8 × 2.50 + 2 × 10, per 1M: gpt-4o's price, not gpt-4o-mini's 0.0000024
    assertThat(fits.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00004");
  }

  @Test
  void anotherDatedIdOfTheModelRunsOnACappedTargetWhoseDeploymentsRenameIt() {
    Res res = ask("azure", "gpt-4o-2024-08-06", 100);

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("prod-4o");
  }

  @Test
  void aModelWithoutAPriceNamedOnACappedTargetWhoseDeploymentsRenameTheModelIsRefusedBeforeTheCall() {
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(ask("azure", "my-finetune", 100), e2e.up(), "my-finetune");
  }

  @Test
  void aFallbackTargetWhoseDeploymentsRenameTheModelRunsItsDefaultModelRatherThanRefuse() {
    e2e.up().reset();
    e2e.up().otherwise("POST /failing/v1/chat/completions", io.reliapi.testing.Behavior.status(500));
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("prod-4o", "Hi", 8, 2));
    Res res = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"failing/gpt-4o-mini\", \"max_tokens\": 100, "
        + HELLO + "}");

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("prod-4o");
    assertThat(res.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00004");
  }

  @Test
  void theTargetsOwnModelIsEstimatedAtItsPriceAndSentUnderTheDeploymentsName() {
    assertThat(ask("azure", "gpt-4o", 1000).body()).contains("BUDGET_EXCEEDED");

    Res fits = ask("azure", "gpt-4o", 100);
    assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("prod-4o");
  }

  @Test
  void anImageIsCountedAsTheModelThatAnswersBillsIt() {
    // gpt-4o-mini bills 48 169 tokens for eight tiles at high detail, gpt-4o 1 445: at gpt-4o's $2.50 per 1M,
    // 0.12 USD over the cap of 0.05, where counting as gpt-4o made 0.0036.
    String body = """
        {"model": "mini-pool/gpt-4o", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s", "detail": "high"}}]}]}"""
        .formatted(ImageCapsEndToEndTest.EIGHT_TILES);
    e2e.up().reset();
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("prod-mini", "A cat.", 48169, 3));

    Res res = e2e.gw().http.post("/v1/chat/completions", body);

    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aSearchModelThatAnswersUnderAnotherNameIsRefusedOnACappedTargetAsWhenNamed() {
    Res res = ask("search-pool", "gpt-4o", 10);

    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(res.json().get("error").get("message").asText()).contains("search model");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aTargetWithoutCapsOrBudgetsServesAnyNameAsBefore() {
    assertThat(ask("open", "gpt-4o-mini", 1000).status()).isEqualTo(200);
  }
}
