package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/messages} through the pipeline's guarantees: fallback across protocols, retries, breaker,
 * idempotency and cache replays in Anthropic's shape, caps and budgets.
 */
class AnthropicReliabilityEndToEndTest {
  static final String MESSAGES = "POST /v1/messages";
  static final String CHAT = "POST /v1/chat/completions";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("anthropic", "openai"),
      up -> GatewayHarness.yaml("""
        targets:
          claude:
            base_url: "%1$s/v1"
            %3$s
            circuit: {enabled: false}
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
            fallback_targets: [openai]
          openai:
            base_url: "%2$s/v1"
            %3$s
            llm: {provider: openai, default_model: gpt-4o-mini}
          retried:
            base_url: "%1$s/v1"
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.01}}
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
          broken:
            base_url: "%1$s/broken/v1"
            %3$s
            circuit: {error_threshold: 2, cooldown_s: 600}
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
          cached:
            base_url: "%1$s/v1"
            cache: {ttl_s: 60}
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
          budgeted:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, budget: {daily_usd: 0.00029}}
          throttled:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 4000, soft_cost_cap_usd: 0.0005}
        """.formatted(up.get("anthropic").baseUrl(), up.get("openai").baseUrl(), TestYaml.NO_RETRIES)));

  static TestHttp.Res messages(String target, String extra, String... headers) {
    List<String> all = new ArrayList<>(List.of("anthropic-version", "2023-06-01", "X-ReliAPI-Target", target));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/messages", """
        {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}]%s}"""
        .formatted(extra), all.toArray(String[]::new));
  }

  static Behavior overloaded() {
    return LlmBehaviors.anthropicError(529, "overloaded_error", "Overloaded", Map.of());
  }

  @Test
  void fallsBackFromAnAnthropicTargetToAnOpenAiTargetAndStillAnswersInAnthropicsShape() {
    e2e.up("anthropic").script(MESSAGES, overloaded());
    e2e.up("openai").script(CHAT, LlmBehaviors.openAi("gpt-4o-mini-2024-07-18", "From OpenAI", 9, 3));
    var r = messages("claude", ", \"system\": \"Be kind.\"");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("type").asText()).isEqualTo("message");
    assertThat(r.json().get("content").get(0).get("text").asText()).isEqualTo("From OpenAI");
    assertThat(r.json().get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00000315");
    JsonNode sent = Json.parseOrNull(e2e.up("openai").last().body().getBytes());
    assertThat(sent.get("model").asText()).as("the fallback's own model").isEqualTo("gpt-4o-mini");
    assertThat(sent.get("messages").get(0).get("content").asText()).isEqualTo("Be kind.");
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void fallsBackAsAStreamWhenTheAnthropicStreamOpensWithAnError() {
    e2e.up("anthropic").script(MESSAGES, LlmBehaviors.sse(List.of("event: error\ndata: {\"type\":\"error\",\"error\":"
        + "{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), 1));
    e2e.up("openai").script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("a", "b"), 9, 2), 1));
    var r = messages("claude", ", \"stream\": true");

    List<SseEvents.Event> events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    assertThat(events.get(6).json().get("usage").get("output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void keepsARequestOnlyAnthropicCanServeOnAnthropicTargets() {
    e2e.up("anthropic").script(MESSAGES, overloaded());
    var r = messages("claude", ", \"mcp_servers\": [{\"type\": \"url\", \"url\": \"https://mcp.example\", \"name\": \"x\"}]");

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("overloaded_error");
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void stillFallsBackFromAnAnthropicPrimaryToOpenAiOnTheChatCompletionsRoute() {
    e2e.up("anthropic").script(MESSAGES, overloaded());
    e2e.up("openai").script(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "Chat answer", 9, 3));
    var r = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"claude/claude-haiku-4-5\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("object").asText()).isEqualTo("chat.completion");
    assertThat(r.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Chat answer");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
  }

  @Test
  void retriesAnOverloadedAnthropicTarget() {
    e2e.up("anthropic").script(MESSAGES, overloaded(), LlmBehaviors.anthropic("claude-haiku-4-5", "Second try", 5, 2));
    var r = messages("retried", "");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("content").get(0).get("text").asText()).isEqualTo("Second try");
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(e2e.up("anthropic").total()).isEqualTo(2);
  }

  @Test
  void opensTheBreakerAndAnswersCircuitOpenInAnthropicsShape() {
    e2e.up("anthropic").otherwise("POST /broken/v1/messages", overloaded());
    messages("broken", "");
    messages("broken", "");
    var r = messages("broken", "");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("api_error");
    assertThat(r.json().get("error").get("message").asText()).startsWith("CIRCUIT_OPEN: ");
    assertThat(r.header("x-should-retry")).isEqualTo("true");
    assertThat(e2e.up("anthropic").count("/broken/v1/messages")).isEqualTo(2);
  }

  @Test
  void replaysAKeyedRequestInAnthropicsShapeWholeAndAsAStream() {
    e2e.up("anthropic").script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Once", 12, 6));
    var first = messages("claude", "", "Idempotency-Key", "k-msg-1");
    var whole = messages("claude", "", "Idempotency-Key", "k-msg-1");
    var streamed = messages("claude", ", \"stream\": true", "Idempotency-Key", "k-msg-1");

    assertThat(first.json().get("content").get(0).get("text").asText()).isEqualTo("Once");
    assertThat(whole.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(whole.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(whole.json().get("type").asText()).isEqualTo("message");
    assertThat(whole.json().get("content").get(0).get("text").asText()).isEqualTo("Once");
    assertThat(whole.json().get("usage").get("output_tokens").asInt()).isEqualTo(6);
    assertThat(streamed.header("Idempotent-Replayed")).isEqualTo("true");
    List<SseEvents.Event> events = SseEvents.parse(streamed.body());
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(3).json().get("delta").get("text").asText()).isEqualTo("Once");
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void replaysAKeyedStreamFromItsStoredCompletion() {
    e2e.up("anthropic").script(MESSAGES,
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Str", "eam"), 25, 15), 1));
    var first = messages("claude", ", \"stream\": true", "Idempotency-Key", "k-msg-2");
    var again = messages("claude", ", \"stream\": true", "Idempotency-Key", "k-msg-2");
    var whole = messages("claude", "", "Idempotency-Key", "k-msg-2");

    assertThat(SseEvents.names(SseEvents.parse(first.body()))).endsWith("message_stop");
    List<SseEvents.Event> replayed = SseEvents.parse(again.body());
    assertThat(replayed.get(3).json().get("delta").get("text").asText()).isEqualTo("Stream");
    assertThat(replayed.get(5).json().get("usage").get("output_tokens").asInt()).isEqualTo(15);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(whole.json().get("content").get(0).get("text").asText()).isEqualTo("Stream");
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void servesARepeatedMessageFromTheCacheAtNoCost() {
    e2e.up("anthropic").otherwise(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Cached", 12, 6));
    var first = messages("cached", "");
    var second = messages("cached", "");
    var streamed = messages("cached", ", \"stream\": true");
    var beta = messages("cached", "", "anthropic-beta", "some-beta-2025-01-01");

    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(second.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(second.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(second.json().get("content").get(0).get("text").asText()).isEqualTo("Cached");
    assertThat(streamed.header("X-Cache-Hit")).as("a stream shares the entry").isEqualTo("true");
    assertThat(SseEvents.names(SseEvents.parse(streamed.body()))).endsWith("message_stop");
    assertThat(beta.header("X-Cache-Hit")).as("another beta header is another request").isEqualTo("false");
    assertThat(e2e.up("anthropic").total()).isEqualTo(2);
  }

  @Test
  void chargesTheBudgetAndAnswersAnExhaustedOneAsARateLimitError() {
    e2e.up("anthropic").otherwise(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Paid", 12, 6));
    var first = messages("budgeted", "");
    var second = messages("budgeted", "");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000042");
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(second.json().get("error").get("message").asText()).startsWith("BUDGET_EXHAUSTED: ");
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void lowersTheNativeBodysMaxTokensUnderASoftCap() {
    e2e.up("anthropic").script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Short", 12, 6));
    var r = e2e.gw().http.post("/v1/messages", """
        {"model": "claude-haiku-4-5", "max_tokens": 4000, "messages": [{"role": "user", "content": "Hi"}],
         "some_future_field": true}""", "X-ReliAPI-Target", "throttled");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up("anthropic").last().body().getBytes());
    assertThat(sent.get("max_tokens").asInt()).isBetween(16, 100);
    assertThat(sent.get("some_future_field").asBoolean()).isTrue();
  }
}
