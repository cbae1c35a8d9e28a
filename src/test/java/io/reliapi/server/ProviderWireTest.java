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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each provider's wire format end to end, against mock providers speaking it: credentials, errors, limits. */
class ProviderWireTest {
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/anthropic/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
          auth: {type: bearer_env, env_var: ANTHROPIC_KEY}
        mistral:
          base_url: "%1$s/mistral/v1"
          %2$s
          llm: {provider: mistral, default_model: mistral-small-latest}
          auth: {type: bearer_env, env_var: MISTRAL_KEY}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("ANTHROPIC_KEY", "sk-ant-1").env("MISTRAL_KEY", "mk-1"));

  static String proxy(String target, String extra) {
    return "{\"target\": \"" + target + "\", \"messages\": " + HI + extra + "}";
  }

  @Test
  void anthropicRateLimitKeepsItsStatusRetryAfterAndRateLimitHeaders() {
    e2e.up().script("POST /anthropic/v1/messages", LlmBehaviors.anthropicError(429, "rate_limit_error",
        "Number of request tokens has exceeded your per-minute rate limit", Map.of("retry-after", "12",
            "anthropic-ratelimit-requests-remaining", "0")));
    var r = e2e.gw().http.post("/proxy/llm", proxy("claude", ""));

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("12");
    assertThat(r.header("anthropic-ratelimit-requests-remaining")).isEqualTo("0");
    assertThat(r.header("anthropic-organization-id")).isNull();
    JsonNode error = r.json().get("error");
    assertThat(error.get("upstream_status").asInt()).isEqualTo(429);
    assertThat(error.get("details").get("provider_error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.get("message").asText()).isEqualTo("The provider answered with status 429 (rate_limit_error).");
    var sent = e2e.up().last();
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-1");
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
  }

  @Test
  void anthropicOverloadedIsA529UpstreamError() {
    e2e.up().script("POST /anthropic/v1/messages", LlmBehaviors.anthropicError(529, "overloaded_error", "Overloaded", Map.of()));
    var r = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"claude/claude-haiku-4-5\", \"messages\": " + HI + "}");

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(r.json().get("error").get("message").asText()).contains("overloaded_error");
  }

  @Test
  void anthropicToolUseRoundTripsThroughTheOpenAiRoute() {
    e2e.up().script("POST /anthropic/v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id": "msg_7", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
         "content": [{"type": "text", "text": "Looking it up."},
                     {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}}],
         "stop_reason": "tool_use", "stop_sequence": null, "usage": {"input_tokens": 80, "output_tokens": 30}}"""));
    var r = e2e.gw().http.post("/v1/chat/completions", """
        {"model": "claude/claude-haiku-4-5", "messages": [{"role": "user", "content": "Weather in Paris?"}],
         "tools": [{"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
         "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}""");

    JsonNode choice = r.json().get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode call = choice.get("message").get("tool_calls").get(0);
    assertThat(call.get("id").asText()).isEqualTo("toolu_01A");
    assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
    assertThat(Json.parseOrNull(call.get("function").get("arguments").asText().getBytes()).get("city").asText())
        .isEqualTo("Paris");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("tools").get(0).get("input_schema").get("type").asText()).isEqualTo("object");
    assertThat(sent.get("tool_choice")).isEqualTo(Json.parseOrNull("{\"type\": \"tool\", \"name\": \"get_weather\"}".getBytes()));
  }

  @Test
  void mistralRateLimitGetsARetryAfterFromItsResetHeader() {
    e2e.up().script("POST /mistral/v1/chat/completions", LlmBehaviors.mistralRateLimited());
    var r = e2e.gw().http.post("/proxy/llm", proxy("mistral", ""));

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("7");
    assertThat(r.header("ratelimitbysize-remaining")).isEqualTo("0");
    assertThat(r.header("x-ratelimitbysize-limit-minute")).isEqualTo("500000");
    assertThat(r.header("mistral-correlation-id")).isNull();
    assertThat(r.json().get("error").get("retry_after_s").asInt()).isEqualTo(7);
    assertThat(e2e.up().last().header("Authorization")).isEqualTo("Bearer mk-1");
  }

  @Test
  void mistralValidationErrorKeepsItsStatusAndType() {
    e2e.up().script("POST /mistral/v1/chat/completions", LlmBehaviors.mistralExtraForbidden("foo"));
    var r = e2e.gw().http.post("/proxy/llm", proxy("mistral", ", \"extra\": {\"foo\": true}"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").get("details").get("provider_error").get("type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(r.json().get("error").get("retryable").asBoolean()).isFalse();
  }

  @Test
  void mistralStreamsWithUsageFromItsLastChunkAndWithoutStreamOptions() {
    e2e.up().script("POST /mistral/v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour"), 7, 3), 1));
    var events = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("mistral", ", \"stream\": true")).body());

    assertThat(SseEvents.names(events)).containsExactly("meta", "chunk", "chunk", "done");
    JsonNode done = events.getLast().json();
    assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    // 7 × 0.06 / 1M + 3 × 0.18 / 1M
    assertThat(done.get("cost_usd").decimalValue()).isEqualByComparingTo("0.00000096");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.has("stream_options")).isFalse();
  }

  @Test
  void mistralReasoningAnswerIsNormalisedForTheOpenAiRoute() {
    e2e.up().script("POST /mistral/v1/chat/completions", Behavior.respond(200, LlmBehaviors.mistralHeaders(),
        LlmBehaviors.mistralCompletion("magistral-small-latest", """
            [{"type": "thinking", "thinking": [{"type": "text", "text": "Hmm."}]}, {"type": "text", "text": "4"}]""",
            "stop", 10, 20)));
    var r = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"mistral/magistral-small-latest\", \"messages\": " + HI
        + ", \"seed\": 5, \"max_completion_tokens\": 50}");

    assertThat(r.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("4");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("random_seed").asInt()).isEqualTo(5);
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
    assertThat(sent.has("max_completion_tokens")).isFalse();
  }
}
