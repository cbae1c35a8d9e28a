package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAI Agents SDK (and LangChain) on {@code /v1/chat/completions}, with the body its chat model sends on
 * the second turn of a run: strict function tools, the first turn's parallel calls and their results,
 * {@code parallel_tool_calls}, {@code stream_options} and the end user in {@code user}, answered by Anthropic.
 */
class AgentsSdkEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: claude
      clients:
        - {name: agents, key_env: AGENTS_KEY}
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
        claude-alias:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-sonnet-latest, structured_outputs: native}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("AGENTS_KEY", "k-agents"));

  static String turn(String user) {
    return """
        {"model": "claude/claude-sonnet-4-5", "stream": true, "stream_options": {"include_usage": true},
         "messages": [
          {"role": "system", "content": "You are a travel agent. Use the tools."},
          {"role": "user", "content": "Weather in Paris and Lyon?"},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_kX1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
            {"id": "call_kX2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Lyon\\"}"}}]},
          {"role": "tool", "tool_call_id": "call_kX1", "content": "18C, sunny"},
          {"role": "tool", "tool_call_id": "call_kX2", "content": "21C, cloudy"}
         ],
         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather of a city.",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                          "additionalProperties": false}, "strict": true}}],
         "tool_choice": "auto", "parallel_tool_calls": true, "temperature": 0.3, "user": "%s"}""".formatted(user);
  }

  static TestHttp.Res post(String body) {
    return e2e.gw().http.post("/v1/chat/completions", body, "Authorization", "Bearer k-agents");
  }

  static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  @Test
  void anthropicGetsTheRunsToolTurnAndTheAnswerStreamsAsChatChunks() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(
        "claude-sonnet-4-5-20250929", List.of("Paris 18C, ", "Lyon 21C."), 400, 12), 1));
    var r = post(turn("user_8f2a"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(sent.get("metadata").get("user_id").asText()).isEqualTo("user_8f2a");
    JsonNode calls = sent.get("messages").get(1).get("content");
    assertThat(calls.get(0).get("type").asText()).isEqualTo("tool_use");
    assertThat(calls.get(1).get("id").asText()).isEqualTo("call_kX2");
    JsonNode results = sent.get("messages").get(2).get("content");
    assertThat(results).hasSize(2);
    assertThat(results.get(1).get("tool_use_id").asText()).isEqualTo("call_kX2");

    var events = SseEvents.parse(r.body());
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    JsonNode usage = events.get(events.size() - 2).json().get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(400);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
  }

  @Test
  void anOutputTypesStrictSchemaReachesAnthropicAsItsStructuredOutputFormat() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-5-20250929",
        "{\\\"city\\\":\\\"Lyon\\\",\\\"celsius\\\":21}", 400, 12));
    String schema = "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}, \"celsius\": "
        + "{\"type\": \"number\"}}, \"required\": [\"city\", \"celsius\"], \"additionalProperties\": false}";
    var r = post(turn("user_8f2a").replace("\"stream\": true, \"stream_options\": {\"include_usage\": true},",
        "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"final_output\", "
            + "\"strict\": true, \"schema\": " + schema + "}},"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode format = sent().path("output_config").path("format");
    assertThat(format.get("type").asText()).isEqualTo("json_schema");
    assertThat(format.get("schema")).isEqualTo(Json.parseOrNull(schema.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.json().get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("{\"city\":\"Lyon\",\"celsius\":21}");

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-5-20250929", "Lyon, 21C", 400, 5));
    post(turn("user_8f2a").replace("\"stream\": true, \"stream_options\": {\"include_usage\": true},",
        "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"w\", \"schema\": "
            + schema + "}},"));
    assertThat(sent().has("output_config")).as("a schema not marked strict is not a guarantee asked for").isFalse();

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-20250514", "Lyon, 21C", 400, 5));
    var older = post(turn("user_8f2a").replace("\"stream\": true, \"stream_options\": {\"include_usage\": true},",
        "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"w\", \"strict\": true, "
            + "\"schema\": " + schema + "}},").replace("claude/claude-sonnet-4-5", "claude/claude-sonnet-4-20250514"));
    assertThat(older.status()).isEqualTo(200);
    assertThat(sent().get("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(sent().has("output_config")).as("a model before 4.5 refuses structured outputs with a final 400")
        .isFalse();
    assertThat(sent().get("system").asText()).as("the schema is asked for in the prompt rather than dropped")
        .startsWith("You are a travel agent. Use the tools.\n\nAnswer with a single JSON value")
        .endsWith(Json.parseOrNull(schema.getBytes(StandardCharsets.UTF_8)).toString());

    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-5-20250929", "{}", 400, 5));
    var alias = post(turn("user_8f2a").replace("\"stream\": true, \"stream_options\": {\"include_usage\": true},",
        "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"w\", \"strict\": true, "
            + "\"schema\": " + schema + "}},").replace("claude/claude-sonnet-4-5", "claude-alias/claude-sonnet-latest"));
    assertThat(alias.status()).isEqualTo(200);
    assertThat(sent().path("output_config").path("format").get("schema"))
        .as("structured_outputs: native sends the schema whatever the model id reads as")
        .isEqualTo(Json.parseOrNull(schema.getBytes(StandardCharsets.UTF_8)));
    assertThat(sent().get("system").asText()).isEqualTo("You are a travel agent. Use the tools.");
  }

  @Test
  void anEmailAsTheUserIsLeftOutAndAnotherRefusedIdGoesAsAnOpaqueOne() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(
        "claude-sonnet-4-5-20250929", List.of("Sunny."), 400, 3), 1));
    post(turn("alice@example.com"));
    assertThat(sent().has("metadata")).as("Anthropic refuses emails, and a plain hash of one links the person "
        + "across services: it is left out").isFalse();

    post(turn("team/alice 42"));
    String userId = sent().get("metadata").get("user_id").asText();
    assertThat(userId).as("anything but letters, digits, _ and - goes as its hash").matches("[a-f0-9]{64}");
    post(turn("team/alice 42"));
    assertThat(sent().get("metadata").get("user_id").asText()).isEqualTo(userId);
  }
}
