package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Content by reference (a file the provider has stored or fetches) counts its prompt as at least the model's
 * context window, so a hard cap holds for it (docs/guides/budget-control.md, "Content by reference"). Before, a
 * 300-page PDF by {@code file_id} counted as the few tokens of its reference and walked through a 0.01 USD cap.
 *
 * <p>gpt-4o-mini (0.15 / 0.60 USD per 1M tokens) has a 128 000-token window: 0.0192 USD of prompt at most.
 * claude-haiku-4-5 (1 / 5 USD) has 200 000: 0.2 USD. gemini-2.5-flash (0.3 / 2.5 USD) has 1 048 576: about 0.31 USD.
 * The capped targets have a 0.01 USD hard cap; {@code small-files} says each reference is 2 000 tokens. The
 * budgeted ones have a daily budget and no cap.
 */
class ReferenceCapsEndToEndTest {
  static final String FILE_ID = "{\"type\": \"file\", \"file\": {\"file_id\": \"file-300-page-pdf\"}}";
  static final String CHAT = "POST /v1/chat/completions";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic", "gemini"),
      up -> GatewayHarness.yaml("""
        targets:
          mini:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, hard_cost_cap_usd: 0.01,
                  responses_api: false}
          small-files:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, hard_cost_cap_usd: 0.01,
                  reference_tokens: 2000}
          claude:
            base_url: "%2$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100, hard_cost_cap_usd: 0.01}
          budgeted:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.025}}
          thin-budget:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.015}}
          limited:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, limits: {tpm: 5000}}
          gemini:
            base_url: "%3$s/v1beta"
            llm: {provider: gemini, default_model: gemini-2.5-flash, max_tokens: 100, hard_cost_cap_usd: 0.01}
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl(), up.get("gemini").baseUrl())));

  @BeforeEach
  void clean() {
    e2e.up("openai").otherwise(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "A summary.", 2100, 3));
  }

  static String chatBody(String model, String extraPart) {
    return """
        {"model": "%s", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "text", "text": "Summarize this file."}%s]}]}""".formatted(model, extraPart);
  }

  /** Checks a refusal whose error {@code code} and {@code details} the route's own error shape carries. */
  static void assertRefusedAboveTheCap(Res refused, String code, JsonNode details, BigDecimal atLeast) {
    assertThat(refused.status()).isEqualTo(400);
    assertThat(code).isEqualTo("BUDGET_EXCEEDED");
    assertThat(details.get("estimate").decimalValue()).isGreaterThanOrEqualTo(atLeast);
  }

  /** Checks a refusal in the gateway's and OpenAI's shape: {@code {"error": {"code", "details"}}}. */
  static void assertRefusedAboveTheCap(Res refused, BigDecimal atLeast) {
    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.json().get("error");
    assertRefusedAboveTheCap(refused, error.get("code").asText(), error.get("details"), atLeast);
  }

  @Test
  void aChatCompletionWithAFileIdIsRefusedBeforeAnyUpstreamCallAndPassesWithoutIt() {
    Res refused = e2e.gw().http.post("/v1/chat/completions", chatBody("mini/gpt-4o-mini", ", " + FILE_ID));

    assertRefusedAboveTheCap(refused, new BigDecimal("0.0192"));
    assertThat(e2e.up("openai").total()).isZero();

    Res passed = e2e.gw().http.post("/v1/chat/completions", chatBody("mini/gpt-4o-mini", ""));
    assertThat(passed.status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void aTargetWhoseFilesAreSmallCountsItsReferenceTokensAndLetsTheFileThrough() {
    Res passed = e2e.gw().http.post("/v1/chat/completions", chatBody("small-files/gpt-4o-mini", ", " + FILE_ID));

    assertThat(passed.status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
    assertThat(e2e.up("openai").last().body().toString()).contains("file-300-page-pdf");
    // settled from the reported usage: 2100 prompt and 3 output tokens
    assertThat(new BigDecimal(passed.header("X-ReliAPI-Cost-USD"))).isEqualByComparingTo("0.0003168");
  }

  @Test
  void aResponsesInputFileByIdIsRefusedBeforeAnyUpstreamCall() {
    Res refused = e2e.gw().http.post("/v1/responses", """
        {"model": "mini/gpt-4o-mini", "max_output_tokens": 10, "input": [{"role": "user", "content": [
          {"type": "input_text", "text": "Summarize this file."},
          {"type": "input_file", "file_id": "file-300-page-pdf"}]}]}""");

    assertRefusedAboveTheCap(refused, new BigDecimal("0.0192"));
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void anAnthropicDocumentByUrlIsRefusedBeforeAnyUpstreamCallAndOneWrittenOutPasses() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "A summary.", 20, 3));
    String messages = """
        {"model": "claude-haiku-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "document", "source": %s},
          {"type": "text", "text": "Summarize this document."}]}]}""";

    Res refused = e2e.gw().http.post("/v1/messages",
        messages.formatted("{\"type\": \"url\", \"url\": \"https://example.com/300-pages.pdf\"}"),
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "claude");

    assertThat(refused.status()).isEqualTo(400);
    JsonNode details = refused.json().get("error").get("details");
    assertRefusedAboveTheCap(refused, details.get("error_code").asText(), details.get("details"), new BigDecimal("0.2"));
    assertThat(e2e.up("anthropic").total()).isZero();

    Res passed = e2e.gw().http.post("/v1/messages",
        messages.formatted("{\"type\": \"text\", \"media_type\": \"text/plain\", \"data\": \"A short note.\"}"),
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", "claude");
    assertThat(passed.status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void aFileIdOnTheRawChatRouteIsRefusedBeforeAnyUpstreamCall() {
    Res refused = e2e.gw().http.post("/t/mini/chat/completions", chatBody("gpt-4o-mini", ", " + FILE_ID));

    // the raw routes answer in the gateway's problem shape: {"code", "details", ...}
    assertThat(refused.status()).isEqualTo(400);
    assertRefusedAboveTheCap(refused, refused.json().get("code").asText(), refused.json().get("details"),
        new BigDecimal("0.0192"));
    assertThat(e2e.up("openai").total()).isZero();

    assertThat(e2e.gw().http.post("/t/mini/chat/completions", chatBody("gpt-4o-mini", "")).status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void aGeminiCachedContentInProxyLlmsExtraIsRefusedBeforeAnyUpstreamCall() {
    e2e.up("gemini").otherwise("POST /v1beta/models/gemini-2.5-flash:generateContent",
        GeminiBehaviors.text("gemini-2.5-flash", "Hi", 4, 1));
    String ask = "{\"target\": \"gemini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]%s}";

    Res refused = e2e.gw().http.post("/proxy/llm", ask.formatted(", \"extra\": {\"cachedContent\": \"cachedContents/big\"}"));

    assertRefusedAboveTheCap(refused, new BigDecimal("0.31"));
    assertThat(e2e.up("gemini").total()).isZero();

    assertThat(e2e.gw().http.post("/proxy/llm", ask.formatted("")).status()).isEqualTo(200);
    assertThat(e2e.up("gemini").total()).isEqualTo(1);
  }

  static Res proxyLlm(String target, String parts) {
    return e2e.gw().http.post("/proxy/llm", "{\"target\": \"" + target + "\", \"messages\": [{\"role\": \"user\", "
        + "\"content\": [{\"type\": \"text\", \"text\": \"Summarize this file.\"}" + parts + "]}]}");
  }

  @Test
  void aPeriodBudgetReservesTheWindowSizedEstimateAndSettlesToTheReportedUsage() {
    e2e.up("openai").otherwise(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "A summary.", 8, 2));

    // 128 000 × 0.15 / 1M + 100 × 0.6 / 1M = 0.01926 reserved; 8 × 0.15 / 1M + 2 × 0.6 / 1M = 0.0000024 charged.
    // Were the reservation kept, the second call (0.01926 more) would not fit under 0.025.
    for (int call = 1; call <= 2; call++) {
      Res r = proxyLlm("budgeted", ", " + FILE_ID);
      assertThat(r.status()).as("call %d", call).isEqualTo(200);
      assertThat(r.json().get("meta").get("cost_estimate_usd").decimalValue()).isEqualByComparingTo("0.01926");
      assertThat(r.json().get("meta").get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000024");
    }
    assertThat(e2e.up("openai").total()).isEqualTo(2);
  }

  @Test
  void aPeriodBudgetSmallerThanTheWindowSizedEstimateRefusesTheReferenceButNotThePlainRequest() {
    e2e.up("openai").otherwise(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "A summary.", 8, 2));

    Res refused = proxyLlm("thin-budget", ", " + FILE_ID);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(e2e.up("openai").total()).isZero();
    assertThat(proxyLlm("thin-budget", "").status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }

  @Test
  void aTokenLimitReservesTheCountedPromptNotTheWindowSoAReferenceFitsUnderIt() {
    e2e.up("openai").otherwise(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "A summary.", 8, 2));

    Res r = proxyLlm("limited", ", " + FILE_ID);

    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
  }
}
