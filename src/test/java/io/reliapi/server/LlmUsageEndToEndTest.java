package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway owns the provider's usage report, and what it counts itself when there is none includes every
 * billed output token (issue 11.2).
 */
class LlmUsageEndToEndTest {
  static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";
  static final String ARGUMENTS = "{\\\"city\\\": \\\"Paris\\\", \\\"unit\\\": \\\"celsius\\\", "
      + "\\\"days\\\": 14, \\\"detail\\\": \\\"hourly forecast with wind and humidity\\\"}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        tools:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        whole:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        strict:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, hard_cost_cap_usd: 0.0001}
      """.formatted(up.baseUrl())));

  static List<String> streamEvents() {
    return LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2);
  }

  @Test
  void aV1ClientCannotSwitchTheProvidersUsageReportOff() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(streamEvents(), 1));
    Res r = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"openai/gpt-4o-mini\", \"stream\": true, "
        + "\"stream_options\": {\"include_usage\": false}, \"messages\": " + HELLO + "}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(r.body()).doesNotContain("\"choices\":[]").contains("[DONE]");
  }

  @Test
  void aProxyLlmClientCannotSwitchTheProvidersUsageReportOffThroughExtra() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(streamEvents(), 1));
    Res r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"stream\": true, \"messages\": " + HELLO
        + ", \"extra\": {\"stream_options\": {\"include_usage\": false}}}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(r.body()).contains("event: done");
  }

  @Test
  void anUnreportedToolCallStreamIsChargedForItsArguments() {
    String head = "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":";
    List<String> events = List.of(
        "data: " + head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
            + "\"finish_reason\":null}]}\n\n",
        "data: " + head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + ARGUMENTS + "\"}}]},"
            + "\"finish_reason\":null}]}\n\n",
        "data: " + head + "{},\"finish_reason\":\"tool_calls\"}]}\n\n",
        "data: [DONE]\n\n");
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));
    Res r = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"tools/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": " + HELLO + "}");

    assertThat(r.status()).isEqualTo(200);
    long argumentTokens = TokenCounter.shared().textTokens("gpt-4o-mini", ARGUMENTS.replace("\\", ""));
    double completion = MetricSamples.scrape(e2e.gw()).value("reliapi_llm_tokens_total", "target", "tools",
        "type", "completion");
    assertThat(completion).isGreaterThanOrEqualTo(argumentTokens + 1);
  }

  @Test
  void anUnreportedWholeAnswerIsChargedForItsToolCallsAndReasoning() {
    String answer = "{\"id\":\"chatcmpl-w\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"reasoning_content\":\"The user wants the weather, so call the tool.\","
        + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"" + ARGUMENTS + "\"}}]},\"finish_reason\":\"tool_calls\"}]}";
    e2e.up().script("POST /v1/chat/completions", Behavior.json(200, answer));
    Res r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"whole\", \"messages\": " + HELLO + "}");

    assertThat(r.status()).isEqualTo(200);
    long argumentTokens = TokenCounter.shared().textTokens("gpt-4o-mini", ARGUMENTS.replace("\\", ""));
    long reasoningTokens = TokenCounter.shared().textTokens("gpt-4o-mini",
        "The user wants the weather, so call the tool.");
    JsonNode usage = r.json().get("data").get("usage");
    assertThat(usage.get("completion_tokens").asLong()).isGreaterThanOrEqualTo(argumentTokens + reasoningTokens);
  }

  @Test
  void thePreCallEstimateCountsPredictionsAndResponseFormats() {
    // A prompt of 8 tokens and max_tokens 100 fit under the cap of 0.0001; a long prediction does not.
    String prediction = "lorem ipsum dolor sit amet ".repeat(200);
    Res r = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"strict/gpt-4o-mini\", \"messages\": " + HELLO
        + ", \"prediction\": {\"type\": \"content\", \"content\": \"" + prediction + "\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");

    String schema = "{\\\"type\\\": \\\"object\\\", \\\"description\\\": \\\"" + prediction + "\\\"}";
    Res withSchema = e2e.gw().http.post("/proxy/llm", "{\"target\": \"strict\", \"messages\": " + HELLO
        + ", \"extra\": {\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"r\", "
        + "\"schema\": \"" + schema + "\"}}}}");
    assertThat(withSchema.status()).isEqualTo(400);
    assertThat(withSchema.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }
}
