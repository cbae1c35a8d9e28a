package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The LLM routes through the shared reliability stages: cache, fallback across providers, retries. */
class LlmReliabilityEndToEndTest {
  static final String ASK = "{\"target\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]%s}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic"),
      up -> GatewayHarness.yaml("""
        targets:
          cached:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
            cache: {ttl_s: 60}
          primary:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.01}}
            fallback_targets: [claude]
          claude:
            base_url: "%2$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl())));

  @Test
  void servesARepeatedCompletionFromTheCacheAtNoCost() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Cached!", 9, 3));
    var first = e2e.gw().http.post("/proxy/llm", ASK.formatted("cached", ", \"temperature\": 0.2"));
    var second = e2e.gw().http.post("/proxy/llm", ASK.formatted("cached", ", \"temperature\": 0.2"));
    var other = e2e.gw().http.post("/proxy/llm", ASK.formatted("cached", ", \"temperature\": 0.7"));

    assertThat(first.json().get("meta").get("cost_usd").asDouble()).isPositive();
    JsonNode hit = second.json();
    assertThat(hit.get("data").get("content").asText()).isEqualTo("Cached!");
    assertThat(hit.get("meta").get("cache_hit").asBoolean()).isTrue();
    assertThat(hit.get("meta").get("cost_usd").asDouble()).isZero();
    assertThat(second.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(second.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(other.json().get("meta").get("cache_hit").asBoolean()).as("another temperature").isFalse();
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void servesACompletedStreamFromTheCacheAsAStream() {
    e2e.up("openai").otherwise("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("a", "b"), 9, 2), 1));
    for (int i = 0; i < 2; i++) {
      var r = e2e.gw().http.post("/proxy/llm", ASK.formatted("cached", ", \"stream\": true"));
      assertThat(SseEvents.parse(r.body()).getLast().name()).isEqualTo("done");
      assertThat(r.header("X-Cache-Hit")).isEqualTo(i == 0 ? "false" : "true");
    }
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void streamsARefusalWithItsWordsLiveAndReplayed() {
    // chunk carries text only; a refusal (OpenAI's refusal deltas) has none, so done carries its words.
    e2e.up("openai").script("POST /v1/chat/completions", LlmBehaviors.sse(
        LlmBehaviors.openAiRefusalStreamEvents("gpt-4o-mini", List.of("I can't", " help with that.")), 1),
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Open"), 9, 1), 1));
    String ask = "{\"target\": \"cached\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Lock?\"}]}";
    for (int i = 0; i < 2; i++) {
      var r = e2e.gw().http.post("/proxy/llm", ask);
      var events = SseEvents.parse(r.body());
      assertThat(r.header("X-Cache-Hit")).isEqualTo(i == 0 ? "false" : "true");
      assertThat(SseEvents.names(events)).as("no text to stream").containsExactly("meta", "done");
      assertThat(events.getLast().json().path("refusal").asText()).isEqualTo("I can't help with that.");
    }
    assertThat(e2e.up("openai").total()).isEqualTo(1);
    var text = SseEvents.parse(e2e.gw().http.post("/proxy/llm", ASK.formatted("cached", ", \"stream\": true, \"temperature\": 0.9")).body());
    assertThat(SseEvents.names(text)).containsExactly("meta", "chunk", "done");
    assertThat(text.getLast().json().has("refusal")).as("only a refusal has the field").isFalse();
  }

  @Test
  void fallsBackFromOpenAiToAnthropicWithTheFallbacksOwnModel() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", Behavior.status(503));
    e2e.up("anthropic").script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "From Claude", 8, 4));
    var r = e2e.gw().http.post("/proxy/llm", ASK.formatted("primary", ", \"model\": \"gpt-4o-mini\""));

    assertThat(r.status()).isEqualTo(200);
    JsonNode meta = r.json().get("meta");
    assertThat(r.json().get("data").get("content").asText()).isEqualTo("From Claude");
    assertThat(meta.get("fallback_used").asBoolean()).isTrue();
    assertThat(meta.get("fallback_target").asText()).isEqualTo("claude");
    assertThat(meta.get("target").asText()).isEqualTo("claude");
    assertThat(meta.get("provider").asText()).isEqualTo("anthropic");
    assertThat(meta.get("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(meta.get("retries").asInt()).isEqualTo(1);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    assertThat(e2e.up("openai").total()).as("the primary's own two attempts").isEqualTo(2);
    assertThat(e2e.up("anthropic").last().bodyText()).contains("\"model\":\"claude-haiku-4-5\"");
  }

  @Test
  void answersAnOpenAiClientInOpenAisShapeWhenAnthropicAnswersForTheFallback() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", Behavior.status(503));
    e2e.up("anthropic").script("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Translated", 8, 4));
    var r = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"primary/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("object").asText()).isEqualTo("chat.completion");
    assertThat(r.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Translated");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
  }

  @Test
  void retriesAProviderErrorBeforeTheStreamStartsAndNeverAfter() {
    var events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up("openai").script("POST /v1/chat/completions", Behavior.status(503), LlmBehaviors.sse(events, 1));
    var r = e2e.gw().http.post("/proxy/llm", ASK.formatted("primary", ", \"stream\": true"));
    var parsed = SseEvents.parse(r.body());
    assertThat(parsed.getFirst().name()).isEqualTo("meta");
    assertThat(parsed.getFirst().json().get("retries").asInt()).isEqualTo(1);
    assertThat(parsed.getLast().name()).isEqualTo("done");
    assertThat(e2e.up("openai").total()).isEqualTo(2);

    e2e.up("openai").reset();
    e2e.up("openai").script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(events.subList(0, 2), 1));
    var broken = SseEvents.parse(e2e.gw().http.post("/proxy/llm", ASK.formatted("primary", ", \"stream\": true")).body());
    assertThat(broken.getLast().name()).isEqualTo("error");
    assertThat(e2e.up("openai").total()).as("a stream that started is never retried").isEqualTo(1);
    assertThat(e2e.up("anthropic").total()).as("nor handed to a fallback").isZero();
  }
}
