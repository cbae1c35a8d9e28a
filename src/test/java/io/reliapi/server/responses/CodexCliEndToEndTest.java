package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Codex CLI on {@code /v1/responses}, with the bodies it sends: a stateless turn ({@code store: false}, encrypted
 * reasoning sent back in {@code input}, {@code prompt_cache_key}, {@code text.verbosity}), its function tools and
 * its freeform {@code apply_patch} tool (a {@code custom} tool whose calls carry plain text), against a target with
 * the Responses API, an OpenAI-protocol server without it and Anthropic.
 */
class CodexCliEndToEndTest {
  static final String PATCH = "*** Begin Patch\n*** Update File: hello.py\n@@\n-print(\"hi\")\n+print(\"hello\")\n"
      + "*** End Patch\n";

  /** Targets of Codex's tests: OpenAI's Responses API (cached) and a chat server; {@code %1$s} the upstream. */
  static final String TARGETS = """
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
          cache: {ttl_s: 60}
        vllm:
          base_url: "%1$s/vllm/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-oss-120b}
      """;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
      default_llm_target: openai
      clients:
        - {name: codex, key_env: CODEX_KEY}
      targets:
      """ + TARGETS + """
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-sonnet-4-5}
      """).formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("CODEX_KEY", "k-codex"));

  /** Codex's second request of a turn: its first patch applied, a command run, both outputs sent back. */
  static String turn(String model, boolean stream) {
    return """
        {"model": "%s", "instructions": "You are Codex, a coding agent.",
         "input": [
          {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "<permissions instructions>\\nsandbox: workspace-write</permissions instructions>"}]},
          {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "<environment_context>\\n  <cwd>/repo</cwd>\\n</environment_context>"}]},
          {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Say hello in hello.py, then run it."}]},
          {"type": "reasoning", "summary": [{"type": "summary_text", "text": "**Editing hello.py**"}], "encrypted_content": "gAAAAABpRk1"},
          {"type": "custom_tool_call", "status": "completed", "call_id": "call_Pq1", "name": "apply_patch", "input": %s},
          {"type": "custom_tool_call_output", "call_id": "call_Pq1", "output": "{\\"output\\":\\"Success. Updated the following files:\\\\nM hello.py\\\\n\\",\\"metadata\\":{\\"exit_code\\":0}}"},
          {"type": "function_call", "name": "shell", "arguments": "{\\"command\\":[\\"bash\\",\\"-lc\\",\\"python hello.py\\"],\\"workdir\\":\\"/repo\\"}", "call_id": "call_Sh2"},
          {"type": "function_call_output", "call_id": "call_Sh2", "output": "hello\\n"}
         ],
         "tools": [
          {"type": "function", "name": "shell", "description": "Runs a shell command and returns its output.", "strict": false,
           "parameters": {"type": "object", "properties": {"command": {"type": "array", "items": {"type": "string"}},
             "workdir": {"type": "string"}, "timeout_ms": {"type": "number"}}, "required": ["command"], "additionalProperties": false}},
          {"type": "custom", "name": "apply_patch", "description": "Use the `apply_patch` tool to edit files. This is a FREEFORM tool.",
           "format": {"type": "grammar", "syntax": "lark", "definition": "start: begin_patch hunk+ end_patch\\nbegin_patch: \\"*** Begin Patch\\" LF"}}
         ],
         "tool_choice": "auto", "parallel_tool_calls": false, "reasoning": {"effort": "medium", "summary": "auto"},
         "store": false, "stream": %s, "include": ["reasoning.encrypted_content"],
         "prompt_cache_key": "0199a8a1-5b2c-7d10-9e3f-4c1b2a3d4e5f", "text": {"verbosity": "low"}}"""
        .formatted(model, Json.MAPPER.valueToTree(PATCH).toString(), stream);
  }

  static TestHttp.Res post(String body, String... headers) {
    List<String> all = new java.util.ArrayList<>(List.of("Authorization", "Bearer k-codex"));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/responses", body, all.toArray(String[]::new));
  }

  static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  static String escaped(String text) {
    String quoted = Json.MAPPER.valueToTree(text).toString();
    return quoted.substring(1, quoted.length() - 1);
  }

  @Test
  void aTargetWithTheResponsesApiGetsTheTurnAsWrittenAndItsStreamedPatchReachesCodexAsACustomToolCall() {
    List<String> pieces = List.of(escaped("*** Begin Patch\n*** Add File: bye.py\n"), escaped("+print(\"bye\")\n"),
        escaped("*** End Patch\n"));
    e2e.up().script("POST /v1/responses", LlmBehaviors.sse(ResponsesBehaviors.customCallEvents("gpt-5-2025-08-07",
        "call_Np3", "apply_patch", pieces, 2400, 180), 1));
    var r = post(turn("gpt-5", true));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    ObjectNode asWritten = (ObjectNode) Json.parseOrNull(turn("gpt-5", true).getBytes(StandardCharsets.UTF_8));
    asWritten.put("max_output_tokens", 1024);
    assertThat(sent).as("the client's own body, freeform tool and items included, with the target's output limit")
        .isEqualTo(asWritten);

    var events = SseEvents.parse(r.body());
    List<JsonNode> added = events.stream().filter(e -> e.name().equals("response.output_item.added"))
        .map(e -> e.json().get("item")).toList();
    JsonNode reasoning = Json.parseOrNull(("{\"id\":\"rs_2\",\"type\":\"reasoning\",\"summary\":[],"
        + "\"encrypted_content\":\"gAAAAB2\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(added.get(0)).as("the reasoning Codex sends back next turn, as the provider gave it").isEqualTo(reasoning);
    assertThat(added.get(1).get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(added.get(1).get("name").asText()).isEqualTo("apply_patch");
    JsonNode done = events.stream().filter(e -> e.name().equals("response.output_item.done"))
        .map(e -> e.json().get("item")).toList().get(1);
    assertThat(done.get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(done.get("call_id").asText()).isEqualTo("call_Np3");
    assertThat(done.get("input").asText()).isEqualTo("*** Begin Patch\n*** Add File: bye.py\n+print(\"bye\")\n"
        + "*** End Patch\n");
    assertThat(SseEvents.names(events)).contains("response.custom_tool_call_input.done")
        .doesNotContain("response.function_call_arguments.delta");
    JsonNode completed = events.getLast().json().get("response");
    assertThat(completed.get("status").asText()).isEqualTo("completed");
    assertThat(completed.get("output").get(0)).isEqualTo(reasoning);
    assertThat(completed.get("output").get(1)).isEqualTo(done);
    assertThat(completed.get("usage").get("input_tokens").asInt()).isEqualTo(2400);

    // The completed stream was kept: the same turn asked whole is the same reasoning and call, from the cache.
    var replay = post(turn("gpt-5", false));
    assertThat(replay.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(replay.json().get("output").get(0)).isEqualTo(reasoning);
    assertThat(replay.json().get("output").get(1)).isEqualTo(done);
  }

  @Test
  void aWholeAnswerOfATargetWithTheResponsesApiKeepsTheCustomCallAndIsPriced() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.customCall("gpt-5-2025-08-07", "call_W1", "apply_patch",
        escaped(PATCH), 1000, 100));
    var r = post(turn("openai/gpt-5", false), "Cache-Control", "no-cache");

    assertThat(r.status()).isEqualTo(200);
    JsonNode item = r.json().get("output").get(0);
    assertThat(item.get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(item.get("id").asText()).startsWith("ctc_");
    assertThat(item.get("input").asText()).isEqualTo(PATCH);
    assertThat(item.get("status").asText()).isEqualTo("completed");
    // gpt-5: 1000 × 1.25 / 1M + 100 × 10 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00225");
  }

  @Test
  void aChatServerGetsTheFreeformToolAsAFunctionOfOneStringAndItsCallComesBackAsACustomToolCall() {
    String arguments = Json.MAPPER.createObjectNode().put("input", PATCH).toString();
    String json = escaped(arguments);
    e2e.up().script("POST /vllm/v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents(
        "gpt-oss-120b", "call_V7", "apply_patch", List.of(json.substring(0, 20), json.substring(20)), 900, 60), 1));
    var r = post(turn("vllm/gpt-oss-120b", true));

    JsonNode sent = sent();
    JsonNode tool = sent.get("tools").get(1);
    assertThat(tool.get("type").asText()).isEqualTo("function");
    JsonNode function = tool.get("function");
    assertThat(function.get("name").asText()).isEqualTo("apply_patch");
    assertThat(function.get("parameters").get("properties").get("input").get("type").asText()).isEqualTo("string");
    assertThat(function.get("parameters").get("properties").get("input").get("description").asText())
        .contains("lark").contains("begin_patch");
    assertThat(function.get("parameters").get("required").get(0).asText()).isEqualTo("input");
    assertThat(function.has("format")).isFalse();
    JsonNode messages = sent.get("messages");
    JsonNode patchCall = messages.get(4).get("tool_calls").get(0);
    assertThat(patchCall.get("id").asText()).isEqualTo("call_Pq1");
    assertThat(Json.parseOrNull(patchCall.get("function").get("arguments").asText().getBytes(StandardCharsets.UTF_8))
        .get("input").asText()).isEqualTo(PATCH);
    assertThat(messages.get(5).get("role").asText()).isEqualTo("tool");
    assertThat(messages.get(5).get("tool_call_id").asText()).isEqualTo("call_Pq1");
    assertThat(sent.get("verbosity").asText()).isEqualTo("low");
    assertThat(sent.get("prompt_cache_key").asText()).isEqualTo("0199a8a1-5b2c-7d10-9e3f-4c1b2a3d4e5f");

    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done",
        "response.output_item.done", "response.completed");
    JsonNode done = events.get(5).json().get("item");
    assertThat(done.get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(done.get("call_id").asText()).isEqualTo("call_V7");
    assertThat(done.get("input").asText()).isEqualTo(PATCH);
    assertThat(events.get(4).json().get("input").asText()).isEqualTo(PATCH);
  }

  @Test
  void anthropicGetsTheFreeformToolAsAToolOfOneStringAndItsCallComesBackAsACustomToolCall() {
    String input = Json.MAPPER.createObjectNode().put("input", PATCH).toString();
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id": "msg_01A", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
         "content": [{"type": "text", "text": "Updating it."},
                     {"type": "tool_use", "id": "toolu_01P", "name": "apply_patch", "input": %s}],
         "stop_reason": "tool_use", "stop_sequence": null,
         "usage": {"input_tokens": 1500, "output_tokens": 90}}""".formatted(input)));
    var r = post(turn("claude/claude-sonnet-4-5", false));

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    JsonNode tool = sent.get("tools").get(1);
    assertThat(tool.get("name").asText()).isEqualTo("apply_patch");
    assertThat(tool.get("input_schema").get("properties").get("input").get("type").asText()).isEqualTo("string");
    JsonNode assistant = sent.get("messages").get(1);
    assertThat(assistant.get("role").asText()).isEqualTo("assistant");
    assertThat(assistant.get("content").get(0).get("type").asText()).isEqualTo("tool_use");
    assertThat(assistant.get("content").get(0).get("id").asText()).isEqualTo("call_Pq1");
    assertThat(assistant.get("content").get(0).get("input").get("input").asText()).isEqualTo(PATCH);
    JsonNode results = sent.get("messages").get(2).get("content");
    assertThat(results.get(0).get("type").asText()).isEqualTo("tool_result");
    assertThat(results.get(0).get("tool_use_id").asText()).isEqualTo("call_Pq1");

    JsonNode output = r.json().get("output");
    assertThat(output.get(0).get("type").asText()).isEqualTo("message");
    assertThat(output.get(1).get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(output.get(1).get("call_id").asText()).isEqualTo("toolu_01P");
    assertThat(output.get(1).get("input").asText()).isEqualTo(PATCH);
  }

  /** Codex's turn after its {@code view_image} tool returned only an image. */
  static String viewImageTurn(String model) {
    return """
        {"model": "%s", "store": false, "input": [
          {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "What is in shot.png?"}]},
          {"type": "function_call", "name": "view_image", "arguments": "{\\"path\\":\\"shot.png\\"}", "call_id": "call_Vi1"},
          {"type": "function_call_output", "call_id": "call_Vi1", "output": [
            {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo="}]}]}""".formatted(model);
  }

  @Test
  void aChatServerGetsTheImageCodexsViewImageReturnedInAUserMessageAfterTheToolMessage() {
    e2e.up().script("POST /vllm/v1/chat/completions", LlmBehaviors.openAi("gpt-oss-120b", "A red square.", 900, 6));
    var r = post(viewImageTurn("vllm/gpt-oss-120b"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode messages = sent().get("messages");
    assertThat(messages.get(2).get("role").asText()).isEqualTo("tool");
    assertThat(messages.get(2).get("content").asText()).isEmpty();
    assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
    assertThat(messages.get(3).get("content").get(0).get("image_url").get("url").asText())
        .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    assertThat(r.json().get("output").get(0).get("content").get(0).get("text").asText()).isEqualTo("A red square.");
  }

  @Test
  void claudeGetsTheImageCodexsViewImageReturnedWithoutAnEmptyTextBlock() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-5-20250929", "A red square.", 900, 6));
    var r = post(viewImageTurn("claude/claude-sonnet-4-5"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode turn = sent().get("messages").get(2);
    assertThat(turn.get("role").asText()).isEqualTo("user");
    JsonNode result = turn.get("content").get(0);
    assertThat(result.get("type").asText()).isEqualTo("tool_result");
    assertThat(result.has("content")).as("Anthropic refuses an empty text block with a 400").isFalse();
    assertThat(turn.get("content").get(1).get("type").asText()).isEqualTo("image");
  }
}
