package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic's web fetch brings each fetched document back as input tokens of the same call, so a capped or budgeted
 * target needs its bound before the call (docs/guides/budget-control.md, "Provider-side tools"). On
 * claude-haiku-4-5 (1 USD per 1M input tokens) a call of "Hi" with max_tokens 50 is estimated far below 0.001 USD:
 * the fetches' bound, at the input price, decides the 0.5 USD hard cap below.
 */
class WebFetchEndToEndTest {
  static final String FETCH = "{\"type\": \"web_fetch_20250910\", \"name\": \"web_fetch\"%s}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("anthropic"),
      up -> GatewayHarness.yaml("""
        targets:
          capped: {base_url: "%1$s/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5, hard_cost_cap_usd: 0.5}}
          open: {base_url: "%1$s/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5}}
        """.formatted(up.get("anthropic").baseUrl())));

  static Res messages(String target, String bounds) {
    return e2e.gw().http.post("/v1/messages", ToolFeesEndToEndTest.messagesBody(FETCH.formatted(bounds), ""),
        "anthropic-version", "2023-06-01", "X-ReliAPI-Target", target);
  }

  @Test
  void aWebFetchWithoutMaxUsesAndMaxContentTokensIsRefusedOnACappedTargetAndForwardedOnAnOpenOne() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Read it.", 100, 20));

    for (String bounds : List.of("", ", \"max_uses\": 2", ", \"max_content_tokens\": 1000")) {
      Res refused = messages("capped", bounds);
      assertThat(refused.status()).as(bounds).isEqualTo(400);
      JsonNode error = refused.json().get("error");
      assertThat(error.get("message").asText()).startsWith("MODEL_PRICE_UNKNOWN: ").contains("'tools[0]'")
          .contains("max_uses").contains("max_content_tokens");
      assertThat(error.get("details").get("details").get("tool").asText()).isEqualTo("web_fetch_20250910");
    }
    assertThat(e2e.up("anthropic").total()).isZero();

    assertThat(messages("open", "").status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }

  @Test
  void theEstimateCountsEveryFetchedDocumentInEachLaterRoundOfTheToolLoopAtTheInputPrice() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Read it.", 100, 20));

    // 2 fetches: 3 rounds carrying 0, 1, 2 documents, 3 × 100 000 tokens: 0.3 USD, under the cap of 0.5; forwarded,
    // with its bounds as written.
    Res bounded = messages("capped", ", \"max_uses\": 2, \"max_content_tokens\": 100000");
    assertThat(bounded.status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
    assertThat(e2e.up("anthropic").last().bodyText()).contains("\"max_content_tokens\":100000");

    // 3 fetches: 1 + 2 + 3 documents, 0.6 USD, above the cap (a count of each document once, 0.3 USD, is not), though
    // the prompt itself costs next to nothing.
    Res refused = messages("capped", ", \"max_uses\": 3, \"max_content_tokens\": 100000");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("message").asText()).startsWith("BUDGET_EXCEEDED: ");
    assertThat(Double.parseDouble(refused.json().get("error").get("details").get("details").get("estimate").asText()))
        .isGreaterThan(0.6);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }
}
