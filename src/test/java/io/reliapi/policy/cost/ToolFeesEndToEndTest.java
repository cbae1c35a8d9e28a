package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provider-side tools billed per use cannot walk around a target's caps and budgets (docs/guides/budget-control.md,
 * "Provider-side tools"). On claude-haiku-4-5 (1 USD / 5 USD per 1M tokens) a call of "Hi" with max_tokens 50
 * is estimated at well under 0.001 USD, so a web search bound of 0.01 USD per use decides every budget below;
 * an answer of 100 + 20 tokens with one search costs exactly 0.0102 USD.
 */
class ToolFeesEndToEndTest {
  static final String KEY = "free-secret";
  static final String WEB_SEARCH = "{\"type\": \"web_search_20250305\", \"name\": \"web_search\"%s}";
  static final String CODE_EXECUTION = "{\"type\": \"code_execution_20250825\", \"name\": \"code_execution\"}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("anthropic", "openai"),
      up -> GatewayHarness.yaml("""
        clients:
          - {name: free, key_env: FREE_KEY}
          - {name: frugal, key_env: FRUGAL_KEY, budget: {daily_usd: 10}}
        targets:
          search-budget:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, budget: {daily_usd: 0.02}}
          stream-budget:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, budget: {daily_usd: 0.025}}
          large-budget:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, budget: {daily_usd: 10}}
          capped:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5, hard_cost_cap_usd: 1}
          open:
            base_url: "%1$s/v1"
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
          gpt-capped:
            base_url: "%2$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, hard_cost_cap_usd: 1, responses_api: true}
          gpt-open:
            base_url: "%2$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, responses_api: true}
        """.formatted(up.get("anthropic").baseUrl(), up.get("openai").baseUrl()))
        .env("FREE_KEY", KEY).env("FRUGAL_KEY", "frugal-secret"));

  static String messagesBody(String tools, String more) {
    return """
        {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}], \
        "tools": [%s]%s}""".formatted(tools, more);
  }

  static Res messages(String target, String tools) {
    return messages(target, tools, "", KEY);
  }

  static Res messages(String target, String tools, String more, String key) {
    return e2e.gw().http.post("/v1/messages", messagesBody(tools, more), "anthropic-version", "2023-06-01",
        "X-ReliAPI-Target", target, "X-API-Key", key);
  }

  /** An answer that ran {@code searches} web searches, with 100 input and 20 output tokens. */
  static Behavior searched(int searches) {
    return Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-haiku-4-5",\
        "content":[{"type":"text","text":"Found it."}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,\
        "output_tokens":20,"server_tool_use":{"web_search_requests":%d}}}""".formatted(searches));
  }

  static JsonNode sentBody(MockUpstream upstream) {
    return Json.parseOrNull(upstream.last().bodyText().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBudgetedTargetReservesTheBoundOfAWebSearchWithMaxUsesAndSettlesTheSearchesReported() {
    e2e.up("anthropic").otherwise("POST /v1/messages", searched(1));

    // Three searches may cost 0.03: more than the whole budget of 0.02, so nothing is sent.
    Res three = messages("search-budget", WEB_SEARCH.formatted(", \"max_uses\": 3"));
    assertThat(three.status()).isEqualTo(429);
    assertThat(three.json().get("error").get("details").get("error_code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(e2e.up("anthropic").total()).isZero();

    Res one = messages("search-budget", WEB_SEARCH.formatted(", \"max_uses\": 1"));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0102");
    assertThat(sentBody(e2e.up("anthropic")).get("tools").get(0).get("max_uses").asInt()).isEqualTo(1);

    // 0.0102 spent: 0.0098 left, less than another search's bound.
    assertThat(messages("search-budget", WEB_SEARCH.formatted(", \"max_uses\": 1")).status()).isEqualTo(429);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_llm_cost_usd_total{model=\"claude-haiku-4-5\",target=\"search-budget\"} 0.0102");
  }

  @Test
  void aWebSearchWithoutMaxUsesIsRefusedOnABudgetedTargetWithNoUpstreamCall() {
    e2e.up("anthropic").otherwise("POST /v1/messages", searched(1));

    Res refused = messages("large-budget", WEB_SEARCH.formatted(""));

    assertThat(refused.status()).isEqualTo(400);
    JsonNode error = refused.json().get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).startsWith("MODEL_PRICE_UNKNOWN: ").contains("'tools[0]'")
        .contains("max_uses").doesNotContain("Hi");
    assertThat(error.get("details").get("details").get("field").asText()).isEqualTo("tools[0]");
    assertThat(error.get("details").get("details").get("tool").asText()).isEqualTo("web_search_20250305");
    assertThat(e2e.up("anthropic").total()).isZero();
  }

  @Test
  void codeExecutionIsRefusedOnACappedTargetAndForwardedOnAnUncappedOne() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "Ran it.", 100, 20));

    Res refused = messages("capped", CODE_EXECUTION);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("details").get("details").get("field").asText())
        .isEqualTo("tools[0]");
    assertThat(e2e.up("anthropic").total()).isZero();

    Res forwarded = messages("open", CODE_EXECUTION);
    assertThat(forwarded.status()).isEqualTo(200);
    assertThat(sentBody(e2e.up("anthropic")).get("tools").get(0).get("type").asText()).isEqualTo("code_execution_20250825");
  }

  @Test
  void aClientsOwnBudgetRefusesAnUnboundedToolOnATargetWithoutCaps() {
    Res refused = messages("open", CODE_EXECUTION, "", "frugal-secret");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("details").get("error_code").asText())
        .isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(e2e.up("anthropic").total()).isZero();
  }

  @Test
  void theMcpConnectorIsRefusedOnACappedTarget() {
    Res refused = messages("capped", "", ", \"mcp_servers\": [{\"type\": \"url\", \"url\": \"https://mcp.example\", "
        + "\"name\": \"x\"}]", KEY);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("details").get("details").get("field").asText())
        .isEqualTo("mcp_servers");
    assertThat(e2e.up("anthropic").total()).isZero();
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_budget_events_total{event=\"unpriced_tool\",target=\"capped\"}");
  }

  @Test
  void aStreamSettlesTheWebSearchesOfItsFinalUsageEvent() {
    List<String> events = new ArrayList<>();
    for (String event : LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Found", " it."), 100, 20)) {
      events.add(event.replace("\"usage\":{\"output_tokens\":20}",
          "\"usage\":{\"output_tokens\":20,\"server_tool_use\":{\"web_search_requests\":1}}"));
    }
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.sse(events, 1));
    String stream = ", \"stream\": true";
    String tool = WEB_SEARCH.formatted(", \"max_uses\": 1");

    // Each stream reserves about 0.0103 and settles 0.0102: two fit in 0.025 (one on /v1/messages, one on the
    // raw route), a third does not.
    Res v1 = messages("stream-budget", tool, stream, KEY);
    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.body()).contains("message_stop");
    Res raw = e2e.gw().http.post("/t/stream-budget/messages", messagesBody(tool, stream), "anthropic-version", "2023-06-01",
        "X-API-Key", KEY);
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.body()).contains("web_search_requests");
    Res third = messages("stream-budget", tool, stream, KEY);
    assertThat(third.status()).isEqualTo(429);
    assertThat(e2e.up("anthropic").total()).isEqualTo(2);
  }

  @Test
  void theRawRoutesRefuseAnUnboundedWebSearchOnABudgetedTarget() {
    String body = messagesBody(WEB_SEARCH.formatted(""), "");

    Res raw = e2e.gw().http.post("/t/large-budget/messages", body, "anthropic-version", "2023-06-01", "X-API-Key", KEY);
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(raw.json().get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(raw.json().get("details").get("field").asText()).isEqualTo("tools[0]");

    Res envelope = e2e.gw().http.post("/proxy/http", "{\"target\": \"large-budget\", \"method\": \"POST\", "
        + "\"path\": \"/messages\", \"body\": " + body + "}", "X-API-Key", KEY);
    assertThat(envelope.status()).isEqualTo(400);
    assertThat(envelope.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(e2e.up("anthropic").total()).isZero();
  }

  @Test
  void proxyLlmExtraCannotCarryAnUnboundedServerToolToACappedTarget() {
    Res refused = e2e.gw().http.post("/proxy/llm", "{\"target\": \"capped\", \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}], \"extra\": {\"tools\": [" + CODE_EXECUTION + "]}}", "X-API-Key", KEY);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(refused.json().get("error").get("details").get("field").asText()).isEqualTo("extra.tools[0]");
    assertThat(e2e.up("anthropic").total()).isZero();
  }

  @Test
  void chatWebSearchOptionsAreRefusedOnACappedTargetAndForwardedOnAnUncappedOne() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Found it.", 8, 3));
    String body = "{\"model\": \"%s/gpt-4o-mini\", \"max_tokens\": 50, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}], \"web_search_options\": {\"search_context_size\": \"low\"}}";

    Res refused = e2e.gw().http.post("/v1/chat/completions", body.formatted("gpt-capped"), "X-API-Key", KEY);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(refused.json().get("error").get("message").asText()).contains("'web_search_options'");
    assertThat(e2e.up("openai").total()).isZero();

    Res forwarded = e2e.gw().http.post("/v1/chat/completions", body.formatted("gpt-open"), "X-API-Key", KEY);
    assertThat(forwarded.status()).isEqualTo(200);
    assertThat(sentBody(e2e.up("openai")).has("web_search_options")).isTrue();
  }

  @Test
  void aSearchModelIsRefusedOnACappedTarget() {
    Res refused = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"gpt-capped/gpt-4o-search-preview\", "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", "X-API-Key", KEY);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(refused.json().get("error").get("message").asText()).contains("'model'");
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void aResponsesHostedToolNeverReachesTheProviderOfACappedTarget() {
    Res refused = e2e.gw().http.post("/v1/responses", "{\"model\": \"gpt-capped/gpt-4o-mini\", \"input\": \"Hi\", "
        + "\"tools\": [{\"type\": \"web_search\"}]}", "X-API-Key", KEY);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("message").asText()).contains("tools[0]");
    assertThat(e2e.up("openai").total()).isZero();
  }
}
