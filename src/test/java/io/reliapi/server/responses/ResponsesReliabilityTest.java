package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/responses} through the pipeline's guarantees, end to end: idempotency and the cache (stored as the
 * neutral completion, replayed in the Responses API's shape, streamed or whole), cost caps, period budgets, the
 * breaker, retries, and fallback to a target of another protocol. The prompt "Hello" counts 8 tokens, as on
 * chat. Time is a manual clock whose waits complete at once.
 */
class ResponsesReliabilityTest {
  static final String RESPONSES = "POST /v1/responses";
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic"),
      up -> {
    ManualClock clock = new ManualClock();
    return GatewayHarness.yaml("""
        targets:
          primary:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.01}, "429": {attempts: 1}}
            fallback_targets: [claude]
          cached:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
            cache: {ttl_s: 60}
          capped:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, responses_api: true, max_tokens: 1024,
                  soft_cost_cap_usd: 0.0005, hard_cost_cap_usd: 0.0006}
          tiny:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, responses_api: true, hard_cost_cap_usd: 0.000001}
          budgeted:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, responses_api: true, max_tokens: 100,
                  budget: {daily_usd: 0.0001}}
            %3$s
          fragile:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
            circuit: {error_threshold: 2, cooldown_s: 600}
            %3$s
          claude:
            base_url: "%2$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
            %3$s
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl(), TestYaml.NO_RETRIES))
        .clock(clock, ManualScheduler.auto(clock));
  });

  /** Asks {@code model} ({@code target/model}, or a target whose default model answers) to answer "Hello". */
  static TestHttp.Res ask(String model, String extra, String... headers) {
    return e2e.gw().http.post("/v1/responses", "{\"model\": \"" + model + "\", \"input\": \"Hello\"" + extra + "}",
        headers);
  }

  static String text(JsonNode response) {
    return response.get("output").get(0).get("content").get(0).get("text").asText();
  }

  @Test
  void replaysAKeyedResponseWithoutASecondProviderCall() {
    e2e.up("openai").script(RESPONSES, ResponsesBehaviors.answer("gpt-4.1-mini", "Once only", 8, 3));
    var first = ask("primary/gpt-4.1-mini", "", "Idempotency-Key", "order-7");
    var second = ask("primary/gpt-4.1-mini", "", "Idempotency-Key", "order-7");

    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(second.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(first.header("X-ReliAPI-Cost-USD")).isNotEqualTo("0");
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(text(second.json())).isEqualTo("Once only");
    assertThat(second.json().get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void replaysAKeyedStreamInTheResponsesShapeStreamedOrWhole() {
    e2e.up("openai").script(RESPONSES, LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Str", "eam"), 8, 2), 1));
    var live = SseEvents.parse(ask("primary/gpt-4.1-mini", ", \"stream\": true", "Idempotency-Key", "stream-7").body());
    var replayed = e2e.gw().http.post("/v1/responses", "{\"model\": \"primary/gpt-4.1-mini\", \"input\": \"Hello\", "
        + "\"stream\": true}", "Idempotency-Key", "stream-7");
    var whole = ask("primary/gpt-4.1-mini", "", "Idempotency-Key", "stream-7");

    assertThat(live.getLast().name()).isEqualTo("response.completed");
    var events = SseEvents.parse(replayed.body());
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(SseEvents.names(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.completed");
    assertThat(events.get(4).json().get("delta").asText()).isEqualTo("Stream");
    assertThat(events.getLast().json().get("response").get("id").asText())
        .isEqualTo(live.getLast().json().get("response").get("id").asText());
    assertThat(whole.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(text(whole.json())).isEqualTo("Stream");
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void servesARepeatFromTheCacheStreamedOrWholeAtNoCost() {
    e2e.up("openai").otherwise(RESPONSES, LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Cach", "ed"), 8, 2), 1));
    var first = ask("cached/gpt-4.1-mini", ", \"stream\": true, \"temperature\": 0.2");
    var whole = ask("cached/gpt-4.1-mini", ", \"temperature\": 0.2");
    var streamed = ask("cached/gpt-4.1-mini", ", \"stream\": true, \"temperature\": 0.2");
    var other = ask("cached/gpt-4.1-mini", ", \"temperature\": 0.7");

    assertThat(SseEvents.parse(first.body()).getLast().name()).isEqualTo("response.completed");
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(whole.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(text(whole.json())).isEqualTo("Cached");
    assertThat(streamed.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(SseEvents.parse(streamed.body()).getLast().json().get("response").get("status").asText())
        .isEqualTo("completed");
    assertThat(other.header("X-Cache-Hit")).as("another temperature").isEqualTo("false");
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void theSoftCapLowersMaxOutputTokensAndTheHardCapRefuses() {
    // As on chat: 8 × 0.15 / 1M + 1024 × 0.6 / 1M > 0.0005 → 831 tokens
    e2e.up("openai").script(RESPONSES, ResponsesBehaviors.answer("gpt-4o-mini", "Hi!", 8, 2));
    var capped = ask("capped/gpt-4o-mini", "");
    assertThat(capped.status()).isEqualTo(200);
    assertThat(Json.parseOrNull(e2e.up("openai").last().body().getBytes()).get("max_output_tokens").asInt()).isEqualTo(831);
    assertThat(capped.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000024");

    var refused = ask("tiny/gpt-4o-mini", "");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void aSpentBudgetIsRefusedInOpenAisErrorShape() {
    e2e.up("openai").otherwise(RESPONSES, ResponsesBehaviors.answer("gpt-4o-mini", "Hi!", 8, 100));
    assertThat(ask("budgeted/gpt-4o-mini", "").status()).isEqualTo(200);
    var refused = ask("budgeted/gpt-4o-mini", "");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void theBreakerOpensAfterFailuresAndRefusesWithoutAProviderCall() {
    e2e.up("openai").otherwise(RESPONSES, Behavior.status(500));
    assertThat(ask("fragile/gpt-4.1-mini", "").status()).isEqualTo(500);
    assertThat(ask("fragile/gpt-4.1-mini", "").status()).isEqualTo(500);
    var refused = ask("fragile/gpt-4.1-mini", "");

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void retriesAProviderErrorBeforeAnswering() {
    e2e.up("openai").script(RESPONSES, Behavior.status(503), ResponsesBehaviors.answer("gpt-4.1-mini", "Second time", 8, 2));
    var r = ask("primary/gpt-4.1-mini", "");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(text(r.json())).isEqualTo("Second time");
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void fallsBackToAnthropicAndStillAnswersInTheResponsesShape() {
    e2e.up("openai").otherwise(RESPONSES, Behavior.status(503));
    e2e.up("anthropic").script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "From Claude", 8, 4));
    var r = ask("primary/gpt-4.1-mini", "");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("object").asText()).isEqualTo("response");
    assertThat(text(r.json())).isEqualTo("From Claude");
    assertThat(r.json().get("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    // claude-haiku-4-5: 8 × 1 / 1M + 4 × 5 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000028");
    assertThat(Json.parseOrNull(e2e.up("anthropic").last().body().getBytes()).get("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(e2e.up("openai").total()).as("the primary's own two attempts").isEqualTo(2);
  }

  @Test
  void fallsBackToAnthropicForAStreamAndStreamsItsAnswerAsResponsesEvents() {
    e2e.up("openai").otherwise(RESPONSES, Behavior.status(503));
    e2e.up("anthropic").script("POST /v1/messages",
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 8, 4), 1));
    var r = ask("primary/gpt-4.1-mini", ", \"stream\": true");

    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    var events = SseEvents.parse(r.body());
    assertThat(events.getFirst().name()).isEqualTo("response.created");
    assertThat(events.getLast().name()).isEqualTo("response.completed");
    JsonNode done = events.getLast().json().get("response");
    assertThat(text(done)).isEqualTo("Bonjour");
    assertThat(done.get("usage").get("output_tokens").asInt()).isEqualTo(4);
  }

  @Test
  void fallsBackWhenTheResponsesStreamFailsBeforeAnyOutput() {
    Behavior failing = LlmBehaviors.sse(ResponsesBehaviors.failedEvents("gpt-4.1-mini", "server_error"), 1);
    e2e.up("openai").script(RESPONSES, failing, failing);
    e2e.up("anthropic").script("POST /v1/messages",
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Saved"), 8, 1), 1));
    var r = ask("primary/gpt-4.1-mini", ", \"stream\": true");

    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).doesNotContain("error", "response.failed");
    assertThat(text(events.getLast().json().get("response"))).isEqualTo("Saved");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }
}
