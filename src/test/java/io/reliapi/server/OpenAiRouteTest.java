package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiRouteTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: openai
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: narrow, key_env: NARROW_KEY, targets: [claude]}
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm:
            provider: openai
            default_model: gpt-4o-mini
            prices: {my-finetune: {input_per_1m: 0.3, output_per_1m: 1.2}}
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5, anthropic_version: "2024-01-01"}
          auth: {type: bearer_env, env_var: ANTHROPIC_KEY}
        meta-llama:
          base_url: "%1$s/plain"
          %2$s
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("NARROW_KEY", "k-narrow")
      .env("ANTHROPIC_KEY", "sk-ant-test"));

  static io.reliapi.testing.TestHttp.Res chat(String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer k-app"));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/chat/completions", body, all.toArray(String[]::new));
  }

  @Test
  void passesTheOpenAiRequestThroughWithUnknownFieldsAndReturnsTheProvidersObject() {
    e2e.up().script(CHAT, LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hello!", 9, 3));
    var r = chat("""
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi", "name": "ann"}],
         "logprobs": true, "user": "u-42", "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
         "max_completion_tokens": 50}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body).isEqualTo(Json.parseOrNull(
        LlmBehaviors.openAiCompletion("gpt-4o-mini-2024-07-18", "Hello!", "stop", 9, 3).getBytes()));
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00000315");
    assertThat(r.header("X-Retries")).isEqualTo("0");
    assertThat(r.header("X-Request-ID")).startsWith("req_");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("logprobs").asBoolean()).isTrue();
    assertThat(sent.get("user").asText()).isEqualTo("u-42");
    assertThat(sent.get("tools").get(0).get("function").get("name").asText()).isEqualTo("f");
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(50);
    assertThat(sent.has("max_tokens")).isFalse();
    assertThat(sent.get("messages").get(0).get("name").asText()).isEqualTo("ann");
    assertThat(e2e.up().last().header("Authorization")).isNull();
  }

  @Test
  void choosesTheTargetByHeaderThenModelPrefixThenDefault() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "a", 5, 1));
    chat("{\"model\": \"claude-haiku-4-5\", \"messages\": " + HI + "}", "X-ReliAPI-Target", "claude");
    assertThat(e2e.up().last().path()).isEqualTo("/v1/messages");

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "a", 5, 1));
    chat("{\"model\": \"claude/claude-opus-4-5\", \"messages\": " + HI + "}");
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("claude-opus-4-5");

    e2e.up().script(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "a", 5, 1));
    chat("{\"model\": \"gpt-4o\", \"messages\": " + HI + "}");
    assertThat(e2e.up().last().path()).isEqualTo("/v1/chat/completions");
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void leavesModelNamesWithASlashAloneUnlessThePrefixIsAnLlmTarget() {
    e2e.up().script(CHAT, LlmBehaviors.openAi("x", "a", 5, 1));
    chat("{\"model\": \"mistralai/Mistral-7B\", \"messages\": " + HI + "}");
    assertThat(Json.parseOrNull(e2e.up().last().body().getBytes()).get("model").asText()).isEqualTo("mistralai/Mistral-7B");

    // A configured target without an llm block cannot serve a chat completion.
    var r = chat("{\"model\": \"meta-llama/Llama-3\", \"messages\": " + HI + "}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_TARGET");
  }

  @Test
  void translatesAnAnthropicAnswerIntoAChatCompletion() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5-20251001", "Bonjour", 12, 6));
    var r = chat("""
        {"model": "claude/claude-haiku-4-5", "max_tokens": 64,
         "messages": [{"role": "system", "content": "Answer in French."}, {"role": "user", "content": "Hello"}]}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("claude-haiku-4-5-20251001");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("message").get("content").asText()).isEqualTo("Bonjour");
    assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(12);
    assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(18);
    // 12 × 1.0 / 1M + 6 × 5.0 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000042");

    var sent = e2e.up().last();
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
    assertThat(sent.header("anthropic-version")).isEqualTo("2024-01-01");
    assertThat(sent.header("Authorization")).isNull();
    JsonNode request = Json.parseOrNull(sent.body().getBytes());
    assertThat(request.get("system").asText()).isEqualTo("Answer in French.");
    assertThat(request.get("messages").size()).isEqualTo(1);
    assertThat(request.get("max_tokens").asInt()).isEqualTo(64);
  }

  @Test
  void answersErrorsInOpenAisShapeWithTheGatewaysCodes() {
    var missing = chat("{\"messages\": " + HI + "}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json()).isEqualTo(Json.parseOrNull("""
        {"error": {"message": "Field 'model' is required.", "type": "invalid_request_error",
         "code": "INVALID_REQUEST", "param": null, "retryable": false, "target": null, "status_code": 400}}"""
        .getBytes()));

    var unknown = chat("{\"model\": \"x\", \"messages\": " + HI + "}", "X-ReliAPI-Target", "nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").get("code").asText()).isEqualTo("TARGET_NOT_FOUND");

    var forbidden = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"openai/gpt-4o\", \"messages\": " + HI + "}",
        "Authorization", "Bearer k-narrow");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("error").get("type").asText()).isEqualTo("permission_error");

    var noKey = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": " + HI + "}");
    assertThat(noKey.status()).isEqualTo(401);
    assertThat(noKey.json().get("error").get("param").isNull()).isTrue();

    e2e.up().script(CHAT, LlmBehaviors.openAiRateLimited());
    var limited = chat("{\"model\": \"gpt-4o\", \"messages\": " + HI + "}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("20");
    assertThat(limited.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(limited.json().get("error").get("message").asText()).contains("429").doesNotContain("org-secret");
  }

  @Test
  void listsTheModelsOfEveryLlmTargetTheCallerMayUse() {
    var all = e2e.gw().http.get("/v1/models", "Authorization", "Bearer k-app");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("object").asText()).isEqualTo("list");
    List<String> ids = new ArrayList<>();
    all.json().get("data").forEach(m -> ids.add(m.get("id").asText()));
    assertThat(ids).containsExactly("claude/claude-haiku-4-5", "openai/gpt-4o-mini", "openai/my-finetune");
    JsonNode first = all.json().get("data").get(0);
    assertThat(first.get("object").asText()).isEqualTo("model");
    assertThat(first.get("owned_by").asText()).isEqualTo("claude");

    var narrow = e2e.gw().http.get("/v1/models", "X-API-Key", "k-narrow");
    assertThat(narrow.json().get("data").size()).isEqualTo(1);

    assertThat(e2e.gw().http.get("/v1/models").status()).isEqualTo(401);
  }
}
