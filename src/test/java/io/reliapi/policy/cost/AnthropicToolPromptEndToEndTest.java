package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call that carries tools is billed, by Anthropic, a tool-use system prompt the request does not hold (up to 530
 * input tokens), and each Anthropic-defined client tool its own definition (bash 245, text editor 700, computer use
 * 735 and a 499-token system prompt), though the request writes only the tool's type and name
 * (docs/guides/budget-control.md, "The estimate"). On claude-haiku-4-5 ($1 / $5 per 1M) with {@code max_tokens}
 * 10, "Hello" alone is estimated at about 0.0001 USD, under a cap of 0.0005; the same call with a tool is not.
 */
class AnthropicToolPromptEndToEndTest {
  static final String HELLO = "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]";
  static final String FUNCTION = "{\"name\": \"get_time\", \"description\": \"Now\", "
      + "\"input_schema\": {\"type\": \"object\", \"properties\": {}}}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        capped:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 10, hard_cost_cap_usd: 0.0005}
        router:
          base_url: "%1$s/api/v1"
          llm:
            provider: openai
            default_model: anthropic/claude-haiku-4.5
            max_tokens: 10
            hard_cost_cap_usd: 0.0005
            prices:
              anthropic/claude-haiku-4.5: {input_per_1m: 1, output_per_1m: 5}
              openai/gpt-4o-mini: {input_per_1m: 1, output_per_1m: 5}
      """.formatted(up.baseUrl())));

  static Res messages(String more) {
    e2e.up().otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Hi", 10, 2));
    return e2e.gw().http.post("/v1/messages", "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 10, " + HELLO
        + more + "}", "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "capped");
  }

  static void assertRefusedBeforeTheCall(Res res) {
    assertThat(res.status()).as(res.body()).isEqualTo(400);
    assertThat(res.body()).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aCallWithoutToolsRunsUnderTheCap() {
    int before = e2e.up().total();
    assertThat(messages("").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(before + 1);
  }

  @Test
  void aFunctionToolAddsTheHiddenToolUseSystemPromptOnV1Messages() {
    e2e.up().reset();
    assertRefusedBeforeTheCall(messages(", \"tools\": [" + FUNCTION + "]"));
  }

  @Test
  void anAnthropicDefinedToolIsEstimatedAtItsDefinitionsSize() {
    e2e.up().reset();
    assertRefusedBeforeTheCall(messages(", \"tools\": [{\"type\": \"bash_20250124\", \"name\": \"bash\"}]"));
  }

  @Test
  void aChatFunctionToolTranslatedForAnthropicAddsItToo() {
    e2e.up().reset();
    assertRefusedBeforeTheCall(e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"capped/claude-haiku-4-5\", "
        + "\"max_tokens\": 10, " + HELLO + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"now\", "
        + "\"parameters\": {\"type\": \"object\", \"properties\": {}}}}]}"));
  }

  static Res routerChat(String model) {
    e2e.up().reset();
    e2e.up().otherwise("POST /api/v1/chat/completions", LlmBehaviors.openAi(model, "Hi", 10, 2));
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"router/" + model + "\", \"max_tokens\": 10, "
        + HELLO + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"now\", "
        + "\"parameters\": {\"type\": \"object\", \"properties\": {}}}}]}");
  }

  @Test
  void aToolSentToAClaudeModelBehindARouterOnTheOpenAiProtocolAddsItToo() {
    assertRefusedBeforeTheCall(routerChat("anthropic/claude-haiku-4.5"));
    // the same call to a model that is not Claude, at the same price, runs
    assertThat(routerChat("openai/gpt-4o-mini").status()).isEqualTo(200);
  }
}
