package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic bills a prompt written to its cache at 1.25 times the input price (twice for an hour), whatever price an
 * operator gave a model in {@code llm.prices}: a Claude model priced there without {@code cache_write_per_1m} is
 * estimated and settled at Anthropic's write prices, not at the input price. {@code house-claude} costs $1 in and $5
 * out per 1M.
 */
class AnthropicCacheWritePriceEndToEndTest {
  /** About 2 000 prompt tokens: 0.002 USD at the input price, 0.004 written for an hour. */
  static final String LONG = "word ".repeat(2000);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          llm:
            provider: anthropic
            default_model: house-claude
            max_tokens: 10
            hard_cost_cap_usd: 0.003
            prices: {house-claude: {input_per_1m: 1, output_per_1m: 5}}
        router:
          base_url: "%1$s/api/v1"
          llm:
            provider: openai
            default_model: anthropic/claude-house
            max_tokens: 10
            prices:
              anthropic/claude-house: {input_per_1m: 1, output_per_1m: 5}
              openai/house-gpt: {input_per_1m: 1, output_per_1m: 5}
      """.formatted(up.baseUrl())));

  static Res messages(String cacheControl) {
    return e2e.gw().http.post("/v1/messages", "{\"model\": \"house-claude\", \"max_tokens\": 10, \"system\": [{\"type\": "
        + "\"text\", \"text\": \"" + LONG + "\"" + cacheControl + "}], \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hello\"}]}", "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "claude");
  }

  static void answers(int input, int written, int output) {
    e2e.up().reset();
    e2e.up().otherwise("POST /v1/messages", Behavior.json(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"house-claude",
         "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":0,"output_tokens":%d}}"""
        .formatted(input, written, output)));
  }

  @Test
  void aPromptMarkedForAnHoursCacheIsEstimatedAtTwiceTheInputPrice() {
    answers(10, 0, 2);
    assertThat(messages("").status()).isEqualTo(200);

    e2e.up().reset();
    Res marked = messages(", \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"1h\"}");
    assertThat(marked.status()).as(marked.body()).isEqualTo(400);
    assertThat(marked.body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void reportedCacheWritesAreSettledAtAnthropicsWritePrice() {
    answers(10, 1000, 20);
    Res res = e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hello\"}]}");

    // 10 × 1 + 1000 × 1.25 + 20 × 5, per 1M
    assertThat(res.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00136");
  }

  /** OpenRouter's report of 1 000 cache writes. */
  static final String OPENROUTER_WRITES =
      "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":1000}";

  static Res viaRouter(String model) {
    return viaRouter(model, OPENROUTER_WRITES);
  }

  static Res viaRouter(String model, String writes) {
    e2e.up().reset();
    e2e.up().otherwise("POST /api/v1/chat/completions", Behavior.json(200, """
        {"id":"gen-1","object":"chat.completion","created":1,"model":"%s",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":1010,"completion_tokens":20,"total_tokens":1030,%s}}""".formatted(model, writes)));
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"router/" + model + "\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hello\"}]}");
  }

  @Test
  void aClaudeModelBehindARouterHasItsReportedCacheWritesSettledAtAnthropicsWritePrice() {
    // 10 × 1 + 1000 × 1.25 + 20 × 5, per 1M
    assertThat(viaRouter("anthropic/claude-house").header("X-ReliAPI-Cost-USD")).isEqualTo("0.00136");
    // a model that is not Claude writes at its input price: 1010 × 1 + 20 × 5
    assertThat(viaRouter("openai/house-gpt").header("X-ReliAPI-Cost-USD")).isEqualTo("0.00111");
  }

  @Test
  void cacheWritesLiteLlmReportsAreSettledAtAnthropicsWritePrice() {
    // LiteLLM states Claude's writes at the top level, as Anthropic does, and in prompt_tokens_details under its own
    // name; either alone is read. 10 × 1 + 1000 × 1.25 + 20 × 5, per 1M
    assertThat(viaRouter("anthropic/claude-house", "\"cache_creation_input_tokens\":1000,\"cache_read_input_tokens\":0,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_creation_tokens\":1000}")
        .header("X-ReliAPI-Cost-USD")).isEqualTo("0.00136");
    assertThat(viaRouter("anthropic/claude-house", "\"cache_creation_input_tokens\":1000")
        .header("X-ReliAPI-Cost-USD")).isEqualTo("0.00136");
    assertThat(viaRouter("anthropic/claude-house", "\"prompt_tokens_details\":{\"cache_creation_tokens\":1000}")
        .header("X-ReliAPI-Cost-USD")).isEqualTo("0.00136");
  }
}
