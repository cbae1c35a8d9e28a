package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyLlmRouteTest {
  static final List<String> META_FIELDS = List.of("request_id", "target", "provider", "model", "cache_hit",
      "idempotent_hit", "retries", "duration_ms", "cost_usd", "cost_estimate_usd", "cost_policy_applied",
      "max_tokens_reduced", "original_max_tokens", "fallback_used", "fallback_target", "deployment",
      "fallback_reason");

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 256}
          auth: {type: bearer_env, env_var: OPENAI_KEY}
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        plain:
          base_url: "%1$s"
          %2$s
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("OPENAI_KEY", "sk-test-123"));

  @Test
  void answersWithTheUnifiedDataAndCompleteMeta() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "Hello!", 9, 3));
    var r = e2e.gw().http.post("/proxy/llm", """
        {"target": "openai", "messages": [{"role": "user", "content": "Hello"}],
         "extra": {"response_format": {"type": "text"}, "seed": 7}}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("data")).isEqualTo(Json.parseOrNull("""
        {"content": "Hello!", "role": "assistant", "finish_reason": "stop", "model": "gpt-4o-mini-2024-07-18",
         "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}""".getBytes(StandardCharsets.UTF_8)));
    JsonNode meta = body.get("meta");
    assertThat(fieldNames(meta)).containsExactlyElementsOf(META_FIELDS);
    assertThat(meta.get("target").asText()).isEqualTo("openai");
    assertThat(meta.get("provider").asText()).isEqualTo("openai");
    assertThat(meta.get("model").asText()).isEqualTo("gpt-4o-mini");
    // 9 × 0.15 / 1M + 3 × 0.6 / 1M
    assertThat(meta.get("cost_usd").decimalValue()).isEqualByComparingTo("0.00000315");
    // 13 prompt tokens (3 per message + "user" + "Hello" + 3 to prime the reply, and 5 for the response_format's
    // JSON, which the provider bills as input) × 0.15 / 1M + 256 × 0.6 / 1M
    assertThat(meta.get("cost_estimate_usd").decimalValue()).isEqualByComparingTo("0.00015555");
    assertThat(meta.get("cost_policy_applied").asText()).isEqualTo("none");
    assertThat(meta.get("max_tokens_reduced").asBoolean()).isFalse();
    assertThat(meta.get("original_max_tokens").isNull()).isTrue();
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00000315");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("9999");
    assertThat(r.header("openai-organization")).isNull();
    assertThat(r.header("set-cookie")).isNull();

    var sent = e2e.up().last();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test-123");
    JsonNode request = Json.parseOrNull(sent.body().getBytes());
    assertThat(request.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(request.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(request.get("messages").get(0).get("content").asText()).isEqualTo("Hello");
    assertThat(request.get("response_format").get("type").asText()).isEqualTo("text");
    assertThat(request.get("seed").asInt()).isEqualTo(7);
    assertThat(request.has("stream")).isFalse();
  }

  @Test
  void carriesAnAnthropicPausedTurnAsItsNativeFinishReasonWholeAndStreamed() {
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(),
        LlmBehaviors.anthropicMessage("claude-haiku-4-5", "Searching", "pause_turn", 12, 6)));
    String ask = """
        {"target": "claude", "messages": [{"role": "user", "content": "Find it"}]%s}""";
    JsonNode data = e2e.gw().http.post("/proxy/llm", ask.formatted("")).json().get("data");
    assertThat(data.get("finish_reason").asText()).as("the SPEC's words").isEqualTo("stop");
    assertThat(data.get("native_finish_reason").asText()).as("a paused turn is not a finished one")
        .isEqualTo("pause_turn");

    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5",
        List.of("Search", "ing"), 12, 6).stream().map(e -> e.replace("end_turn", "pause_turn")).toList(), 1));
    var streamed = e2e.gw().http.post("/proxy/llm", ask.formatted(", \"stream\": true"));
    var events = SseEvents.parse(streamed.body());
    assertThat(events.getLast().name()).as(streamed.body()).isEqualTo("done");
    JsonNode finish = events.getLast().json();
    assertThat(finish.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.get("native_finish_reason").asText()).isEqualTo("pause_turn");

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Done", 12, 6));
    assertThat(e2e.gw().http.post("/proxy/llm", ask.formatted("")).json().get("data").has("native_finish_reason"))
        .as("only a finish OpenAI's words miss").isFalse();
  }

  @Test
  void capsTheRequestedMaxTokensAtTheTargetsLimit() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "ok", 8, 1));
    e2e.gw().http.post("/proxy/llm", """
        {"target": "openai", "model": "gpt-4o", "max_tokens": 5000, "temperature": 0.2, "stop": "END",
         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}""");

    JsonNode request = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(request.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(request.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(request.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(request.get("stop").get(0).asText()).isEqualTo("END");
    assertThat(request.get("messages").size()).isEqualTo(2);
  }

  @Test
  void reportsAProviderErrorWithItsStatusTypeAndRetryAfterButNotItsMessage() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAiRateLimited());
    var r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("20");
    JsonNode body = r.json();
    assertThat(body.get("success").asBoolean()).isFalse();
    assertThat(body.has("data")).isFalse();
    JsonNode error = body.get("error");
    assertThat(error.get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.get("upstream_status").asInt()).isEqualTo(429);
    assertThat(error.get("retry_after_s").asInt()).isEqualTo(20);
    assertThat(error.get("retryable").asBoolean()).isTrue();
    assertThat(error.get("details").get("provider_error").get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(fieldNames(body.get("meta"))).containsExactlyElementsOf(META_FIELDS);
    assertThat(body.get("meta").get("cost_usd").isNull()).isTrue();
    assertThat(r.body()).doesNotContain("org-secret-team");
  }

  @Test
  void neverEchoesTheProvidersMessageWhichMayNameTheGatewaysKey() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAiUnauthorized());
    var r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("sk-proj").doesNotContain("WXYZ").doesNotContain("platform.openai.com");
    assertThat(r.json().get("error").get("message").asText())
        .isEqualTo("The provider answered with status 401 (invalid_request_error/invalid_api_key).");
  }

  @Test
  void rejectsATargetWithoutAnLlmBlockWithCompleteMeta() {
    var r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"plain\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_TARGET");
    assertThat(fieldNames(r.json().get("meta"))).containsExactlyElementsOf(META_FIELDS);
    assertThat(r.json().get("meta").get("target").asText()).isEqualTo("plain");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void rejectsMalformedRequestsBeforeAnyUpstreamCall() {
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"nope\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")))
        .isEqualTo("404 TARGET_NOT_FOUND");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": []}")))
        .isEqualTo("400 INVALID_REQUEST");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}")))
        .isEqualTo("400 INVALID_REQUEST");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], "
        + "\"extra\": {\"max_tokens\": 100000}}"))).isEqualTo("400 INVALID_REQUEST");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], "
        + "\"temperature\": \"hot\"}"))).isEqualTo("400 INVALID_REQUEST");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], "
        + "\"idempotency_key\": \"a b\"}"))).isEqualTo("400 IDEMPOTENCY_KEY_INVALID");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], "
        + "\"idempotency_key\": 7}"))).isEqualTo("400 IDEMPOTENCY_KEY_INVALID");
    assertThat(code(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], "
        + "\"colour\": 1}"))).isEqualTo("400 INVALID_REQUEST");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void turnsAnUnreadableProviderAnswerIntoUpstreamInvalidResponse() {
    e2e.up().script("POST /v1/chat/completions", Behavior.json(200, "{\"id\": \"x\", \"choices\": \"none\"}"));
    var r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(code(r)).isEqualTo("502 UPSTREAM_INVALID_RESPONSE");
    assertThat(fieldNames(r.json().get("meta"))).containsExactlyElementsOf(META_FIELDS);
  }

  static String code(io.reliapi.testing.TestHttp.Res r) {
    return r.status() + " " + r.json().get("error").get("code").asText();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
