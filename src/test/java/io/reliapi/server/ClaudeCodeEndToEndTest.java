package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.GeminiBehaviors;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claude Code on {@code /v1/messages} (its base URL pointed at the gateway), with the body it sends mid-task:
 * cached system and tool blocks, extended thinking sent back signed, tool results, {@code metadata.user_id},
 * {@code context_management}, the {@code anthropic-beta} headers, always streaming, answered by a model of
 * another protocol.
 */
class ClaudeCodeEndToEndTest {
  /** Claude Code's user id: a 64-hex device hash, the account and the session, far over OpenAI's 64 characters. */
  static final String USER_ID = "user_5f0c6e3b9a1d4e7f8a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b9_account_"
      + "3c1e9a2f-4b5d-4e6f-8a7b-9c0d1e2f3a4b_session_7d2e4f6a-8b0c-4d1e-9f2a-3b4c5d6e7f80";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: openai
      clients:
        - {name: claude-code, key_env: CC_KEY}
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5}
        mistral:
          base_url: "%1$s/mistral/v1"
          %2$s
          llm: {provider: mistral, default_model: devstral-medium-latest}
        gemini:
          base_url: "%1$s/gemini/v1beta"
          %2$s
          llm: {provider: gemini, default_model: gemini-2.5-pro}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("CC_KEY", "k-cc"));

  /** The second request of a task: the model read a file (thinking, then a tool call), its content came back. */
  static String turn(String model) {
    return """
        {"model": "%s", "max_tokens": 32000, "stream": true,
         "system": [{"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude.", "cache_control": {"type": "ephemeral"}},
                    {"type": "text", "text": "You are an interactive CLI tool that helps users with software engineering tasks.", "cache_control": {"type": "ephemeral"}}],
         "messages": [
          {"role": "user", "content": [{"type": "text", "text": "<system-reminder>\\nAs you answer the user's questions, you can use the following context.\\n</system-reminder>"},
                                       {"type": "text", "text": "What does main.py print?"}]},
          {"role": "assistant", "content": [{"type": "thinking", "thinking": "I should read main.py.", "signature": "EqQBCkgIBxABGAIiQL2"},
                                            {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "Read", "input": {"file_path": "/repo/main.py"}}]},
          {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9",
                                        "content": [{"type": "text", "text": "     1\\tprint(\\"hi\\")\\n"}]},
                                       {"type": "text", "text": "<system-reminder>Keep going.</system-reminder>", "cache_control": {"type": "ephemeral"}}]}
         ],
         "tools": [
          {"name": "Read", "description": "Reads a file from the local filesystem.",
           "input_schema": {"type": "object", "properties": {"file_path": {"type": "string", "description": "The absolute path to the file to read"},
             "offset": {"type": "number"}, "limit": {"type": "number"}}, "required": ["file_path"], "additionalProperties": false,
             "$schema": "http://json-schema.org/draft-07/schema#"}},
          {"name": "Bash", "description": "Executes a given bash command.",
           "input_schema": {"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "number"}},
             "required": ["command"], "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#"},
           "cache_control": {"type": "ephemeral"}}
         ],
         "metadata": {"user_id": "%s"},
         "thinking": {"type": "enabled", "budget_tokens": 31999},
         "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
         "temperature": 1}""".formatted(model, USER_ID);
  }

  static TestHttp.Res post(String body) {
    List<String> headers = new ArrayList<>(List.of("x-api-key", "k-cc", "anthropic-version", "2023-06-01",
        "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27",
        "anthropic-dangerous-direct-browser-access", "true", "x-app", "cli"));
    return e2e.gw().http.post("/v1/messages?beta=true", body, headers.toArray(String[]::new));
  }

  static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  @Test
  void anOpenAiTargetGetsWhatItAcceptsAndTheToolCallStreamsBackAsToolUse() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-5",
        "call_Bx1", "Bash", List.of("{\\\"command\\\":", "\\\"python main.py\\\"}"), 2100, 40), 1));
    var r = post(turn("openai/gpt-5"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(sent.get("user").asText()).as("OpenAI refuses a user over 64 characters").hasSizeLessThanOrEqualTo(64);
    assertThat(sent.has("thinking")).isFalse();
    assertThat(sent.has("context_management")).isFalse();
    assertThat(sent.has("metadata")).isFalse();
    assertThat(sent.toString()).doesNotContain("cache_control");
    JsonNode messages = sent.get("messages");
    JsonNode assistant = messages.get(2);
    assertThat(assistant.get("role").asText()).isEqualTo("assistant");
    assertThat(assistant.get("tool_calls").get(0).get("id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(messages.get(3).get("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");

    var events = SseEvents.parse(r.body());
    JsonNode start = events.stream().filter(e -> e.name().equals("content_block_start")).findFirst().orElseThrow()
        .json().get("content_block");
    assertThat(start.get("type").asText()).isEqualTo("tool_use");
    assertThat(start.get("id").asText()).isEqualTo("call_Bx1");
    assertThat(start.get("name").asText()).isEqualTo("Bash");
    JsonNode delta = events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow().json();
    assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(SseEvents.names(events).getLast()).isEqualTo("message_stop");
  }

  @Test
  void adaptiveThinkingAndAnEffortLevelAsCurrentClaudeCodeSendsThemAreLeftToAnthropic() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-5",
        List.of("It prints hi."), 2100, 5), 1));
    var r = post(turn("openai/gpt-5").replace("\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 31999}",
        "\"thinking\": {\"type\": \"adaptive\", \"display\": \"omitted\"}, \"output_config\": {\"effort\": \"xhigh\"}"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(sent.has("output_config")).isFalse();
    assertThat(sent.has("reasoning_effort")).as("not every OpenAI-protocol model takes one").isFalse();
    assertThat(SseEvents.names(SseEvents.parse(r.body())).getLast()).isEqualTo("message_stop");
  }

  @Test
  void aJsonSchemaTheAnswerMustFollowReachesOpenAiAsItsResponseFormat() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-5", "{\\\"prints\\\":\\\"hi\\\"}", 300, 9));
    var r = post("""
        {"model": "openai/gpt-5", "max_tokens": 1000,
         "messages": [{"role": "user", "content": "What does main.py print? Answer as JSON."}],
         "output_config": {"format": {"type": "json_schema", "schema": {"type": "object",
           "properties": {"prints": {"type": "string"}}, "required": ["prints"], "additionalProperties": false}}}}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode format = sent().get("response_format");
    assertThat(format.get("type").asText()).isEqualTo("json_schema");
    assertThat(format.get("json_schema").get("name").asText()).isEqualTo("output");
    assertThat(format.get("json_schema").get("schema").get("required").get(0).asText()).isEqualTo("prints");
    assertThat(r.json().get("content").get(0).get("text").asText()).isEqualTo("{\"prints\":\"hi\"}");
  }

  @Test
  void anOutputConfigMemberWithoutATranslationStaysOnAnthropic() {
    var r = post("""
        {"model": "openai/gpt-5", "max_tokens": 1000, "messages": [{"role": "user", "content": "Hi"}],
         "output_config": {"format": {"type": "some_future_format"}}}""");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("message").asText()).contains("output_config.format");
  }

  @Test
  void theSameUserIdIsTheSameUserForOpenAi() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-5",
        List.of("Done."), 2100, 3), 1));
    post(turn("openai/gpt-5"));
    String first = sent().get("user").asText();
    post(turn("openai/gpt-5").replace("\"budget_tokens\": 31999", "\"budget_tokens\": 16000"));
    assertThat(sent().get("user").asText()).isEqualTo(first);
    post(turn("openai/gpt-5").replace(USER_ID, "user_short"));
    assertThat(sent().get("user").asText()).as("an id OpenAI takes goes as it is").isEqualTo("user_short");
  }

  @Test
  void aGeminiTargetGetsTheToolTurnAndAnswers() {
    e2e.up().script("POST /gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent", GeminiBehaviors.sse(
        GeminiBehaviors.streamEvents("gemini-2.5-pro", List.of("It prints ", "hi."), 2000, 5), 1));
    var r = post(turn("gemini/gemini-2.5-pro"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    JsonNode declarations = sent.get("tools").get(0).get("functionDeclarations");
    assertThat(declarations.get(0).get("name").asText()).isEqualTo("Read");
    JsonNode contents = sent.get("contents");
    assertThat(contents.get(1).get("parts").get(0).get("functionCall").get("name").asText()).isEqualTo("Read");
    assertThat(contents.get(2).get("parts").get(0).get("functionResponse").get("name").asText()).isEqualTo("Read");
    assertThat(SseEvents.names(SseEvents.parse(r.body())).getLast()).isEqualTo("message_stop");
  }

  @Test
  void aMistralTargetGetsNoUserAndAnswers() {
    e2e.up().script("POST /mistral/v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents(
        "devstral-medium-2507", List.of("It prints ", "hi."), 2000, 5), 1));
    var r = post(turn("mistral/devstral-medium-latest"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(sent().has("user")).isFalse();
    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events).getLast()).isEqualTo("message_stop");
  }
}
