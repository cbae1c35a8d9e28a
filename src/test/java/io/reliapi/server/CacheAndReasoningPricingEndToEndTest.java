package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prompt-cache and reasoning tokens priced at their own prices, end to end, with exact numbers: gpt-4o-mini costs
 * $0.15 in, $0.60 out and $0.075 per cached input token; claude-haiku-4-5 $1 in, $5 out, $0.10 per cache read and
 * $1.25 per cache write (all per 1M). Reasoning tokens have no price of their own in the built-in table, so they
 * cost the output price.
 */
class CacheAndReasoningPricingEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          llm:
            provider: openai
            default_model: gpt-4o-mini
            prices: {house-reasoner: {input_per_1m: 1, output_per_1m: 2, cache_read_per_1m: 0.5, reasoning_per_1m: 8}}
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      """.formatted(up.baseUrl())));

  static String openAiAnswer(String model, int prompt, int cached, int completion, int reasoning) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1764244800,"model":"%s",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                  "prompt_tokens_details":{"cached_tokens":%d,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":%d,"audio_tokens":0}}}"""
        .formatted(model, prompt, completion, prompt + completion, cached, reasoning);
  }

  static String anthropicUsage(int input, int written, int read, int output) {
    return "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + written
        + ",\"cache_read_input_tokens\":" + read + ",\"output_tokens\":" + output + "}";
  }

  static Res ask(String model) {
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"" + model + "\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"max_tokens\": 500}");
  }

  @Test
  void pricesOpenAisCachedPromptTokensAtTheCachedPriceAndReasoningAtTheOutputPrice() {
    e2e.up().script("POST /v1/chat/completions", Behavior.json(200, openAiAnswer("gpt-4o-mini", 1200, 1000, 300, 200)));
    Res r = ask("openai/gpt-4o-mini");

    // 200 × 0.15 + 1000 × 0.075 + 300 × 0.60, per 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000285");
    JsonNode usage = r.json().get("usage");
    assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isEqualTo(1000);
    assertThat(usage.get("completion_tokens_details").get("reasoning_tokens").asInt()).isEqualTo(200);
  }

  @Test
  void pricesReasoningTokensAtAConfiguredReasoningPrice() {
    e2e.up().script("POST /v1/chat/completions", Behavior.json(200, openAiAnswer("house-reasoner", 100, 40, 50, 30)));
    Res r = ask("openai/house-reasoner");

    // 60 × 1 + 40 × 0.5 + 20 × 2 + 30 × 8, per 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00036");
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_llm_tokens_total", "model", "house-reasoner", "type", "reasoning")).isEqualTo(30);
    assertThat(metrics.value("reliapi_llm_tokens_total", "model", "house-reasoner", "type", "cache_read")).isEqualTo(40);
    assertThat(metrics.value("reliapi_llm_tokens_total", "model", "house-reasoner", "type", "prompt")).isEqualTo(100);
  }

  @Test
  void pricesAnthropicCacheReadsAndWritesAndShowsThemInOpenAisUsage() {
    e2e.up().script("POST /v1/messages", Behavior.json(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
         "content":[{"type":"text","text":"Bonjour"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":%s}""".formatted(anthropicUsage(10, 100, 1000, 20))));
    Res r = ask("claude/claude-haiku-4-5");

    // 10 × 1 + 1000 × 0.10 + 100 × 1.25 + 20 × 5, per 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000335");
    assertThat(r.json().get("usage")).isEqualTo(Json.parseOrNull("""
        {"prompt_tokens": 1110, "completion_tokens": 20, "total_tokens": 1130,
         "prompt_tokens_details": {"cached_tokens": 1000, "cache_write_tokens": 100}}""".getBytes()));
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_llm_tokens_total", "target", "claude", "type", "cache_write")).isEqualTo(100);
  }

  @Test
  void pricesTheCacheTokensOfAnAnthropicStreamFromItsMessageStart() {
    List<String> events = new java.util.ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5",
        List.of("Bon", "jour"), 10, 20));
    events.set(0, events.get(0).replace("\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":1}", "\"usage\":" + anthropicUsage(10, 100, 1000, 1)));
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(events, 1));
    var done = SseEvents.parse(e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", \"stream\": true, "
        + "\"max_tokens\": 500, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}").body()).getLast();

    assertThat(done.name()).isEqualTo("done");
    assertThat(done.json().get("cost_usd").decimalValue()).isEqualByComparingTo("0.000335");
    assertThat(done.json().get("usage").get("prompt_tokens_details").get("cache_write_tokens").asInt()).isEqualTo(100);
  }
}
