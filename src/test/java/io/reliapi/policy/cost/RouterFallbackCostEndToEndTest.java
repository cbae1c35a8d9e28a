package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router on the OpenAI protocol bills what it chose, not what the gateway priced: OpenRouter's {@code models} (and
 * LiteLLM's {@code fallbacks}) let it serve the call with another model, billed at that model's price, and its
 * {@code plugins} (web results, PDF pages) per use on top of the tokens. A capped target prices the call at the
 * requested model's price only, so it refuses them before any call, as it refuses a provider-side tool it cannot
 * price (docs/guides/budget-control.md, "Provider-side tools"); a target without caps or budgets forwards them.
 * OpenRouter's and LiteLLM's Anthropic Messages endpoints take the same fields, so they are refused wherever they reach
 * the target as written (a Messages body to an Anthropic target, {@code extra}); a body translated for another protocol
 * (a Responses body to an OpenAI target without the Responses API) leaves them out, so there they are no reason to
 * refuse.
 */
class RouterFallbackCostEndToEndTest {
  static final String CHEAP = "openai/gpt-4o-mini";
  static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        router:
          base_url: "%1$s/api/v1"
          llm:
            provider: openai
            default_model: openai/gpt-4o-mini
            max_tokens: 100
            hard_cost_cap_usd: 0.01
            prices: {openai/gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}
        chat-only:
          base_url: "%1$s/api/v1"
          llm: {provider: openai, default_model: openai/gpt-4o-mini, max_tokens: 100, hard_cost_cap_usd: 0.01,
                responses_api: false, prices: {openai/gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}}
        open:
          base_url: "%1$s/api/v1"
          llm:
            provider: openai
            default_model: openai/gpt-4o-mini
            max_tokens: 100
            prices: {openai/gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}
        claude:
          base_url: "%1$s/api/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100, hard_cost_cap_usd: 0.01}
        gemini:
          base_url: "%1$s/v1beta"
          llm: {provider: gemini, default_model: gemini-2.5-flash, max_tokens: 100, hard_cost_cap_usd: 0.01}
      """.formatted(up.baseUrl())));

  static void answers() {
    e2e.up().reset();
    e2e.up().otherwise("POST /api/v1/chat/completions", LlmBehaviors.openAi(CHEAP, "Hi", 8, 2));
  }

  static Res chat(String target, String more) {
    return e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"" + target + "/" + CHEAP + "\", " + MESSAGES
        + more + "}");
  }

  @Test
  void aModelFallbackListIsRefusedOnACappedTargetOnV1Chat() {
    answers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(
        chat("router", ", \"models\": [\"openai/gpt-4o-mini\", \"openai/o1-pro\"]"), e2e.up(), "'models'");
  }

  @Test
  void pluginsAreRefusedOnACappedTargetThroughProxyLlmExtra() {
    answers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/proxy/llm", "{\"target\": \"router\", "
        + MESSAGES + ", \"extra\": {\"plugins\": [{\"id\": \"web\"}]}}"), e2e.up(), "'extra.plugins'");
  }

  @Test
  void aFallbacksListIsRefusedOnACappedTargetOnTheRawChatRoute() {
    answers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/t/router/chat/completions",
        "{\"model\": \"" + CHEAP + "\", " + MESSAGES + ", \"fallbacks\": [\"openai/o1-pro\"]}"), e2e.up(),
        "'fallbacks'");
  }

  @Test
  void theSameCallsRunOnATargetWithoutCapsOrBudgetsAndWithoutThemOnTheCappedOne() {
    answers();
    assertThat(chat("open", ", \"models\": [\"openai/o1-pro\"], \"plugins\": [{\"id\": \"web\"}]").status())
        .isEqualTo(200);
    assertThat(chat("router", "").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(2);
  }

  static void claudeAnswers() {
    e2e.up().reset();
    e2e.up().otherwise("POST /api/v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Hi", 8, 2));
  }

  static final String CLAUDE = "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 10, " + MESSAGES;

  @Test
  void aFallbacksListIsRefusedOnACappedAnthropicTargetOnV1Messages() {
    claudeAnswers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/v1/messages",
        CLAUDE + ", \"fallbacks\": [\"claude-opus-4-1\"]}", "X-ReliAPI-Target", "claude"), e2e.up(), "'fallbacks'");
  }

  @Test
  void liteLlmsFallbackListsAndAPresetAreRefusedOnTheRawMessagesPath() {
    for (String field : java.util.List.of("context_window_fallbacks", "content_policy_fallbacks", "models")) {
      claudeAnswers();
      AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/t/claude/messages",
          CLAUDE + ", \"" + field + "\": [\"claude-opus-4-1\"]}"), e2e.up(), "'" + field + "'");
    }
    claudeAnswers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/t/claude/messages",
        CLAUDE + ", \"preset\": \"dear-models\"}"), e2e.up(), "'preset'");
  }

  @Test
  void aFallbacksListInExtraIsRefusedOnACappedAnthropicTarget() {
    claudeAnswers();
    AudioCostEndToEndTest.assertRefusedBeforeTheCall(e2e.gw().http.post("/proxy/llm", "{\"target\": \"claude\", "
        + MESSAGES + ", \"extra\": {\"fallbacks\": [\"claude-opus-4-1\"]}}"), e2e.up(), "'extra.fallbacks'");
  }

  @Test
  void aFallbackListTranslationDropsIsNoReasonToRefuseOnV1ChatOrV1Responses() {
    claudeAnswers();
    Res chat = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"claude/claude-haiku-4-5\", " + MESSAGES
        + ", \"models\": [\"claude-opus-4-1\"], \"fallbacks\": [\"claude-opus-4-1\"]}");
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(e2e.up().last().bodyText()).doesNotContain("fallbacks").doesNotContain("claude-opus-4-1");

    e2e.up().reset();
    e2e.up().otherwise("POST /v1beta/models/gemini-2.5-flash:generateContent",
        GeminiBehaviors.text("gemini-2.5-flash", "Hi", 8, 2));
    Res responses = e2e.gw().http.post("/v1/responses", "{\"model\": \"gemini/gemini-2.5-flash\", "
        + "\"input\": \"Hello\", \"models\": [\"gemini-2.5-pro\"], \"preset\": \"dear-models\"}");
    assertThat(responses.status()).as(responses.body()).isEqualTo(200);
    assertThat(e2e.up().last().bodyText()).doesNotContain("gemini-2.5-pro").doesNotContain("preset");
  }

  @Test
  void aResponsesBodyTranslatedToChatForAnOpenAiTargetWithoutTheResponsesApiIsNotRefusedForWhatItDrops() {
    answers();
    Res res = e2e.gw().http.post("/v1/responses", "{\"model\": \"chat-only/" + CHEAP + "\", \"input\": \"Hello\", "
        + "\"models\": [\"openai/o1-pro\"], \"plugins\": [{\"id\": \"web\"}]}");

    assertThat(res.status()).as(res.body()).isEqualTo(200);
    assertThat(e2e.up().last().bodyText()).doesNotContain("o1-pro").doesNotContain("plugins");
  }
}
