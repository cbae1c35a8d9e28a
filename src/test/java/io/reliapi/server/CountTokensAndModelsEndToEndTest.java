package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/messages/count_tokens} on every kind of target, and {@code GET /v1/models} in Anthropic's shape. */
class CountTokensAndModelsEndToEndTest {
  static final String COUNT = "POST /v1/messages/count_tokens";
  static final String BODY = """
      {"model": "%s", "max_tokens": 100, "stream": true, "temperature": 0.3, "system": "Be terse.",
       "messages": [{"role": "user", "content": "Hello there"}],
       "tools": [{"name": "f", "input_schema": {"type": "object"}}]}""";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: narrow, key_env: NARROW_KEY, targets: [openai]}
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm:
            provider: anthropic
            default_model: claude-haiku-4-5
            anthropic_version: "2023-06-01"
            prices: {claude-opus-4-5: {input_per_1m: 5, output_per_1m: 25}}
          auth: {type: bearer_env, env_var: ANTHROPIC_KEY}
          fallback_targets: [openai]
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
        plain:
          base_url: "%1$s/plain"
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("NARROW_KEY", "k-narrow")
      .env("ANTHROPIC_KEY", "sk-ant-test"));

  static TestHttp.Res count(String model, String... headers) {
    List<String> all = new ArrayList<>(List.of("x-api-key", "k-app", "anthropic-version", "2026-10-21"));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/messages/count_tokens", BODY.formatted(model), all.toArray(String[]::new));
  }

  @Test
  void asksAnAnthropicTargetForItsCountWithTheGenerationFieldsLeftOut() {
    e2e.up().script(COUNT, Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 2095}"));
    var r = count("claude/claude-haiku-4-5", "anthropic-beta", "token-counting-2024-11-01");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(Json.parseOrNull("{\"input_tokens\": 2095}".getBytes()));
    assertThat(r.header("X-ReliAPI-Token-Count")).isEqualTo("provider");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(sent.get("system").asText()).isEqualTo("Be terse.");
    assertThat(sent.get("tools").get(0).get("name").asText()).isEqualTo("f");
    assertThat(sent.has("max_tokens") || sent.has("stream") || sent.has("temperature")).isFalse();
    assertThat(e2e.up().last().header("anthropic-beta")).isEqualTo("token-counting-2024-11-01");
    assertThat(e2e.up().last().header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(e2e.up().last().header("x-api-key")).isEqualTo("sk-ant-test");
  }

  @Test
  void countsWithTheGatewaysTokenizerForATargetWhoseProviderDoesNotCount() {
    var r = count("openai/gpt-4o-mini");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("input_tokens").asLong()).isBetween(10L, 60L);
    assertThat(r.header("X-ReliAPI-Token-Count")).isEqualTo("estimate");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void countsARequestNoTranslationCarriesForATargetOfAnotherProtocol() {
    var r = e2e.gw().http.post("/v1/messages/count_tokens", """
        {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
         "tools": [{"type": "web_search_20250305", "name": "web_search"}]}""", "x-api-key", "k-app");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("input_tokens").asLong()).isPositive();
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void countsWithTheGatewaysTokenizerWhenTheProviderFailsAndNeverAsksAFallback() {
    e2e.up().script(COUNT, LlmBehaviors.anthropicError(529, "overloaded_error", "Overloaded", Map.of()));
    var r = count("claude/claude-haiku-4-5");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("input_tokens").asLong()).isPositive();
    assertThat(r.header("X-ReliAPI-Token-Count")).isEqualTo("estimate");
    assertThat(e2e.up().total()).as("only the Anthropic target was asked").isEqualTo(1);
    assertThat(e2e.up().count("/v1/chat/completions")).isZero();
  }

  @Test
  void refusesAsTheOtherRoutesDo() {
    var forbidden = e2e.gw().http.post("/v1/messages/count_tokens", BODY.formatted("claude/claude-haiku-4-5"),
        "x-api-key", "k-narrow");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("error").get("type").asText()).isEqualTo("permission_error");

    var unauthorized = e2e.gw().http.post("/v1/messages/count_tokens", BODY.formatted("claude-haiku-4-5"));
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.json().get("error").get("type").asText()).isEqualTo("authentication_error");

    var notLlm = count("plain/x");
    assertThat(notLlm.status()).isEqualTo(400);
    assertThat(notLlm.json().get("error").get("message").asText()).startsWith("INVALID_TARGET: ");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void listsTheModelsInAnthropicsShapeWhenTheRequestCarriesAnthropicVersion() {
    var r = e2e.gw().http.get("/v1/models", "x-api-key", "k-app", "anthropic-version", "2023-06-01");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("data")).hasSize(3);
    JsonNode first = body.get("data").get(0);
    assertThat(first.get("type").asText()).isEqualTo("model");
    assertThat(first.get("id").asText()).isEqualTo("claude/claude-haiku-4-5");
    assertThat(first.get("display_name").asText()).isEqualTo("claude/claude-haiku-4-5");
    assertThat(first.get("created_at").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(body.get("has_more").asBoolean()).isFalse();
    assertThat(body.get("first_id").asText()).isEqualTo("claude/claude-haiku-4-5");
    assertThat(body.get("last_id").asText()).isEqualTo("openai/gpt-4o-mini");

    var openAiShape = e2e.gw().http.get("/v1/models", "x-api-key", "k-app");
    assertThat(openAiShape.json().get("object").asText()).isEqualTo("list");
    assertThat(openAiShape.json().get("data").get(0).get("object").asText()).isEqualTo("model");
  }

  @Test
  void pagesTheAnthropicModelList() {
    var page = e2e.gw().http.get("/v1/models?limit=2", "x-api-key", "k-app", "anthropic-version", "2023-06-01").json();
    assertThat(page.get("data")).hasSize(2);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.get("last_id").asText()).isEqualTo("claude/claude-opus-4-5");

    var next = e2e.gw().http.get("/v1/models?limit=2&after_id=claude/claude-opus-4-5", "x-api-key", "k-app",
        "anthropic-version", "2023-06-01").json();
    assertThat(next.get("data")).hasSize(1);
    assertThat(next.get("has_more").asBoolean()).isFalse();

    var before = e2e.gw().http.get("/v1/models?limit=1&before_id=openai/gpt-4o-mini", "x-api-key", "k-app",
        "anthropic-version", "2023-06-01").json();
    assertThat(before.get("data").get(0).get("id").asText()).isEqualTo("claude/claude-opus-4-5");
    assertThat(before.get("has_more").asBoolean()).isTrue();

    var bad = e2e.gw().http.get("/v1/models?limit=0", "x-api-key", "k-app", "anthropic-version", "2023-06-01");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");

    var narrow = e2e.gw().http.get("/v1/models", "x-api-key", "k-narrow", "anthropic-version", "2023-06-01").json();
    assertThat(narrow.get("data")).hasSize(1);

    var unauthorized = e2e.gw().http.get("/v1/models", "anthropic-version", "2023-06-01");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.json().get("type").asText()).isEqualTo("error");
    assertThat(unauthorized.json().get("error").get("type").asText()).isEqualTo("authentication_error");
  }

  @Test
  void answersOneModelByItsIdInEitherShapeAndOnlyToACallerWhoMayUseIt() {
    var plain = e2e.gw().http.get("/v1/models/claude/claude-opus-4-5", "x-api-key", "k-app");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().get("id").asText()).isEqualTo("claude/claude-opus-4-5");
    assertThat(plain.json().get("object").asText()).isEqualTo("model");
    assertThat(plain.json().get("owned_by").asText()).isEqualTo("claude");

    var encoded = e2e.gw().http.get("/v1/models/openai%2Fgpt-4o-mini", "x-api-key", "k-app", "anthropic-version",
        "2023-06-01");
    assertThat(encoded.status()).isEqualTo(200);
    assertThat(encoded.json().get("type").asText()).isEqualTo("model");
    assertThat(encoded.json().get("id").asText()).isEqualTo("openai/gpt-4o-mini");

    // Another client's target answers as a model that does not exist: nothing is learned about it.
    var notTheirs = e2e.gw().http.get("/v1/models/claude%2Fclaude-opus-4-5", "x-api-key", "k-narrow");
    var missing = e2e.gw().http.get("/v1/models/claude%2Fno-such-model", "x-api-key", "k-narrow");
    for (var r : List.of(notTheirs, missing)) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("TARGET_NOT_FOUND");
      assertThat(r.json().get("error").get("status_code").asInt()).as("the whole error object").isEqualTo(404);
    }
    assertThat(notTheirs.json()).isEqualTo(missing.json());
    var anthropicMissing = e2e.gw().http.get("/v1/models/nope", "x-api-key", "k-app", "anthropic-version", "2023-06-01");
    assertThat(anthropicMissing.status()).isEqualTo(404);
    assertThat(anthropicMissing.json().get("type").asText()).isEqualTo("error");
    assertThat(anthropicMissing.json().get("error").get("type").asText()).isEqualTo("not_found_error");

    assertThat(e2e.gw().http.get("/v1/models/openai%2Fgpt-4o-mini").status()).isEqualTo(401);
    assertThat(e2e.gw().http.post("/v1/models/openai%2Fgpt-4o-mini", "{}", "x-api-key", "k-app").status())
        .isEqualTo(405);
    assertThat(e2e.up().total()).isZero();
  }
}
