package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/responses} end to end: sent as written to a target with the Responses API, translated for the
 * others (an OpenAI-protocol server without it, Anthropic), answered in the Responses API's shape either way.
 */
class ResponsesRouteTest {
  static final String RESPONSES = "POST /v1/responses";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: openai
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: narrow, key_env: NARROW_KEY, targets: [vllm]}
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4.1-mini, responses_api: true}
        vllm:
          base_url: "%1$s/vllm/v1"
          %2$s
          llm: {provider: openai, default_model: llama-3.1-8b}
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
          auth: {type: bearer_env, env_var: ANTHROPIC_KEY}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("NARROW_KEY", "k-narrow")
      .env("ANTHROPIC_KEY", "sk-ant-test"));

  static TestHttp.Res post(String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer k-app"));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/responses", body, all.toArray(String[]::new));
  }

  static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  @Test
  void sendsTheClientsOwnBodyToATargetWithTheResponsesApi() {
    e2e.up().script(RESPONSES, ResponsesBehaviors.answer("gpt-4.1-mini-2025-04-14", "Hello!", 19, 3));
    var r = post("""
        {"model": "openai/gpt-4.1-mini", "instructions": "Be terse.", "max_output_tokens": 50,
         "input": [{"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
                   {"role": "user", "content": [{"type": "input_text", "text": "Hi"}]}],
         "include": ["reasoning.encrypted_content"], "truncation": "auto", "metadata": {"tenant": "a"},
         "reasoning": {"effort": "low", "summary": "auto"}, "future_field": 7}""");

    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().last().path()).isEqualTo("/v1/responses");
    JsonNode sent = sent();
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(sent.get("store").asBoolean(true)).as("an omitted store is sent as false").isFalse();
    assertThat(sent.get("max_output_tokens").asInt()).isEqualTo(50);
    assertThat(sent.get("input").get(0).get("encrypted_content").asText()).isEqualTo("gAAA");
    assertThat(sent.get("include").get(0).asText()).isEqualTo("reasoning.encrypted_content");
    assertThat(sent.get("metadata").get("tenant").asText()).isEqualTo("a");
    assertThat(sent.get("reasoning").get("summary").asText()).isEqualTo("auto");
    assertThat(sent.get("future_field").asInt()).isEqualTo(7);
    assertThat(sent.has("stream")).isFalse();

    JsonNode body = r.json();
    assertThat(body.get("id").asText()).isEqualTo(ResponsesBehaviors.ID);
    assertThat(body.get("object").asText()).isEqualTo("response");
    assertThat(body.get("status").asText()).isEqualTo("completed");
    assertThat(body.get("model").asText()).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(body.get("store").asBoolean(true)).isFalse();
    assertThat(body.get("instructions").asText()).isEqualTo("Be terse.");
    assertThat(body.get("metadata").get("tenant").asText()).isEqualTo("a");
    assertThat(body.get("tools").isArray()).isTrue();
    JsonNode message = body.get("output").get(0);
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.get("status").asText()).isEqualTo("completed");
    assertThat(message.get("content").get(0).get("type").asText()).isEqualTo("output_text");
    assertThat(message.get("content").get(0).get("text").asText()).isEqualTo("Hello!");
    assertThat(body.get("usage").get("input_tokens").asInt()).isEqualTo(19);
    assertThat(body.get("usage").get("output_tokens").asInt()).isEqualTo(3);
    assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(22);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    // gpt-4.1-mini: 19 × 0.4 / 1M + 3 × 1.6 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000124");
    assertThat(r.header("X-Request-ID")).startsWith("req_");
  }

  @Test
  void passesOnCachedAndReasoningTokenDetailsAndPricesThemApart() {
    String usage = "{\"input_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\":800},"
        + "\"output_tokens\":100,\"output_tokens_details\":{\"reasoning_tokens\":60},\"total_tokens\":1100}";
    e2e.up().script(RESPONSES, Behavior.respond(200, LlmBehaviors.openAiHeaders(), ResponsesBehaviors.response(
        "gpt-4.1-mini", "completed", "null", "[" + ResponsesBehaviors.message("Hi", "completed") + "]", usage)));
    var r = post("{\"model\": \"openai/gpt-4.1-mini\", \"input\": \"Hi\"}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode reported = r.json().get("usage");
    assertThat(reported.get("input_tokens_details").get("cached_tokens").asInt()).isEqualTo(800);
    assertThat(reported.get("output_tokens_details").get("reasoning_tokens").asInt()).isEqualTo(60);
    // gpt-4.1-mini: 200 uncached × 0.4 / 1M + 800 cached × 0.1 / 1M + 100 output × 1.6 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00032");
  }

  @Test
  void translatesToChatCompletionsForAnOpenAiProtocolServerWithoutTheResponsesApi() {
    e2e.up().script("POST /vllm/v1/chat/completions", Behavior.respond(200, LlmBehaviors.openAiHeaders(), """
        {"id":"chatcmpl-9","object":"chat.completion","created":1764244800,"model":"llama-3.1-8b",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_2",
           "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lyon\\"}"}}]},
           "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":40,"completion_tokens":9,"total_tokens":49}}"""));
    var r = post("""
        {"model": "vllm/llama-3.1-8b", "instructions": "Use the tools.", "max_output_tokens": 64,
         "input": [
           {"role": "user", "content": [{"type": "input_text", "text": "Weather in Paris and Lyon?"},
                                        {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "low"}]},
           {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Checking.", "annotations": []}]},
           {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
           {"type": "function_call_output", "call_id": "call_1", "output": "18C"}],
         "tools": [{"type": "function", "name": "get_weather", "description": "Weather by city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": true}],
         "tool_choice": {"type": "function", "name": "get_weather"}, "parallel_tool_calls": false,
         "text": {"format": {"type": "json_schema", "name": "w", "schema": {"type": "object"}, "strict": true}},
         "reasoning": {"effort": "low"}, "metadata": {"tenant": "a"}, "temperature": 0.5}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(e2e.up().last().path()).isEqualTo("/vllm/v1/chat/completions");
    JsonNode messages = sent.get("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
    assertThat(messages.get(0).get("content").asText()).isEqualTo("Use the tools.");
    assertThat(messages.get(1).get("content").get(1).get("image_url").get("detail").asText()).isEqualTo("low");
    assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(2).get("content").get(0).get("text").asText()).isEqualTo("Checking.");
    assertThat(messages.get(2).get("tool_calls").get(0).get("id").asText()).isEqualTo("call_1");
    assertThat(messages.get(2).get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.get(3).get("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(sent.get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
    assertThat(sent.get("tools").get(0).get("function").get("strict").asBoolean()).isTrue();
    assertThat(sent.get("tool_choice").get("function").get("name").asText()).isEqualTo("get_weather");
    assertThat(sent.get("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(sent.get("response_format").get("json_schema").get("name").asText()).isEqualTo("w");
    assertThat(sent.get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(sent.has("input") || sent.has("instructions") || sent.has("metadata") || sent.has("text")).isFalse();

    JsonNode body = r.json();
    assertThat(body.get("id").asText()).isEqualTo("resp_chatcmpl9");
    assertThat(body.get("status").asText()).isEqualTo("completed");
    JsonNode call = body.get("output").get(0);
    assertThat(call.get("type").asText()).isEqualTo("function_call");
    assertThat(call.get("call_id").asText()).isEqualTo("call_2");
    assertThat(call.get("name").asText()).isEqualTo("get_weather");
    assertThat(call.get("arguments").asText()).isEqualTo("{\"city\":\"Lyon\"}");
    assertThat(body.get("output")).hasSize(1);
    assertThat(body.get("tool_choice").get("name").asText()).isEqualTo("get_weather");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("vllm");
  }

  @Test
  void translatesToolsCallsAndOutputsToAnthropicAndBack() {
    e2e.up().script("POST /v1/messages", Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id":"msg_01A","type":"message","role":"assistant","model":"claude-haiku-4-5",
         "content":[{"type":"text","text":"Let me look."},
                    {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Lyon"}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":20}}"""));
    var r = post("""
        {"model": "claude/claude-haiku-4-5", "instructions": "Use the tools.",
         "input": [{"role": "user", "content": "Weather in Paris?"},
           {"type": "function_call", "call_id": "toolu_00", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
           {"type": "function_call_output", "call_id": "toolu_00", "output": "18C"},
           {"role": "user", "content": "And Lyon?"}],
         "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}],
         "tool_choice": "required"}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(e2e.up().last().path()).isEqualTo("/v1/messages");
    assertThat(sent.get("system").asText()).isEqualTo("Use the tools.");
    assertThat(sent.get("tools").get(0).get("input_schema").get("type").asText()).isEqualTo("object");
    assertThat(sent.get("tool_choice").get("type").asText()).isEqualTo("any");
    JsonNode messages = sent.get("messages");
    assertThat(messages.get(1).get("content").get(0).get("type").asText()).isEqualTo("tool_use");
    assertThat(messages.get(1).get("content").get(0).get("input").get("city").asText()).isEqualTo("Paris");
    assertThat(messages.get(2).get("content").get(0).get("type").asText()).isEqualTo("tool_result");
    assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("toolu_00");

    JsonNode output = r.json().get("output");
    assertThat(output).hasSize(2);
    assertThat(output.get(0).get("content").get(0).get("text").asText()).isEqualTo("Let me look.");
    assertThat(output.get(1).get("type").asText()).isEqualTo("function_call");
    assertThat(output.get(1).get("call_id").asText()).isEqualTo("toolu_01");
    assertThat(Json.parseOrNull(output.get(1).get("arguments").asText().getBytes()).get("city").asText())
        .isEqualTo("Lyon");
    assertThat(r.json().get("usage").get("total_tokens").asInt()).isEqualTo(70);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    // claude-haiku-4-5: 50 × 1 / 1M + 20 × 5 / 1M, the tool call's tokens included in the 20
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00015");
  }

  @Test
  void countsAToolCallAsOutputWhenTheProviderReportsNoUsage() {
    e2e.up().script("POST /vllm/v1/chat/completions", Behavior.respond(200, LlmBehaviors.openAiHeaders(), """
        {"id":"chatcmpl-10","object":"chat.completion","created":1764244800,"model":"llama-3.1-8b",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_3",
           "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lyon\\"}"}}]},
           "finish_reason":"tool_calls"}]}"""));
    var r = post("{\"model\": \"vllm/llama-3.1-8b\", \"input\": \"Weather in Lyon?\", \"tools\": [{\"type\": "
        + "\"function\", \"name\": \"get_weather\", \"parameters\": {\"type\": \"object\"}}]}");

    JsonNode usage = r.json().get("usage");
    assertThat(usage.get("output_tokens").asLong())
        .isEqualTo(TokenCounter.shared().textTokens("llama-3.1-8b", "get_weather{\"city\":\"Lyon\"}"))
        .isPositive();
    assertThat(usage.get("input_tokens").asLong()).as("the tool's definition counts as prompt").isGreaterThan(20);
  }

  @Test
  void streamsTheResponsesApisTypedEventsFromATargetThatSpeaksIt() {
    e2e.up().script(RESPONSES, LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Hel", "lo"), 9, 2), 1));
    var r = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Hi\", \"stream\": true}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    assertThat(r.header("X-ReliAPI-Cost-USD")).as("a live stream's cost is known at its end").isNull();
    assertThat(sent().get("stream").asBoolean()).isTrue();
    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).json().get("type").asText()).isEqualTo(events.get(i).name());
      assertThat(events.get(i).json().get("sequence_number").asInt()).isEqualTo(i);
      assertThat(events.get(i).json().has("error")).as("the SDKs raise on a top-level error member").isFalse();
    }
    assertThat(events.get(4).json().get("delta").asText()).isEqualTo("Hel");
    String id = events.getFirst().json().get("response").get("id").asText();
    assertThat(id).isEqualTo(ResponsesBehaviors.ID);
    assertThat(events.get(2).json().get("item").get("id").asText())
        .isEqualTo(events.get(4).json().get("item_id").asText());
    assertThat(events.get(6).json().get("text").asText()).isEqualTo("Hello");
    JsonNode done = events.getLast().json().get("response");
    assertThat(done.get("id").asText()).isEqualTo(id);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("output").get(0).get("content").get(0).get("text").asText()).isEqualTo("Hello");
    assertThat(done.get("usage").get("total_tokens").asInt()).isEqualTo(11);
  }

  @Test
  void streamsAToolCallOfAnAnthropicTargetAsFunctionCallArgumentDeltas() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5\",\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Lyon\\\"}\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
            + "\"usage\":{\"output_tokens\":12}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), 1));
    var r = post("""
        {"model": "claude/claude-haiku-4-5", "input": "Weather in Lyon?", "stream": true,
         "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]}""");

    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed");
    JsonNode added = events.get(2).json().get("item");
    assertThat(added.get("type").asText()).isEqualTo("function_call");
    assertThat(added.get("call_id").asText()).isEqualTo("toolu_9");
    assertThat(added.get("name").asText()).isEqualTo("get_weather");
    assertThat(events.get(3).json().get("delta").asText()).isEqualTo("{\"city\":");
    assertThat(events.get(5).json().get("arguments").asText()).isEqualTo("{\"city\":\"Lyon\"}");
    assertThat(events.get(5).json().get("name").asText()).isEqualTo("get_weather");
    JsonNode done = events.getLast().json().get("response");
    assertThat(done.get("output").get(0).get("arguments").asText()).isEqualTo("{\"city\":\"Lyon\"}");
    assertThat(done.get("usage").get("input_tokens").asInt()).isEqualTo(30);
    assertThat(done.get("usage").get("output_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void streamsAToolCallOfAChatTargetAsFunctionCallArgumentDeltas() {
    e2e.up().script("POST /vllm/v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents(
        "llama-3.1-8b", "call_5", "get_weather", List.of("{\\\"city\\\":", "\\\"Oslo\\\"}"), 20, 9), 1));
    var r = post("{\"model\": \"vllm/llama-3.1-8b\", \"input\": \"Weather in Oslo?\", \"stream\": true, "
        + "\"tools\": [{\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": {\"type\": \"object\"}}]}");

    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed");
    assertThat(events.get(2).json().get("item").get("call_id").asText()).isEqualTo("call_5");
    assertThat(events.get(4).json().get("delta").asText()).isEqualTo("\"Oslo\"}");
    JsonNode done = events.getLast().json().get("response");
    assertThat(done.get("output").get(0).get("arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(done.get("usage").get("total_tokens").asInt()).isEqualTo(29);
    assertThat(sent().get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void refusesWhatNeedsStateTheGatewayDoesNotKeepWithoutCallingTheProvider() {
    List<String> refused = List.of(
        "\"store\": true", "\"previous_response_id\": \"resp_1\"", "\"conversation\": \"conv_1\"",
        "\"background\": true", "\"prompt\": {\"id\": \"pmpt_1\"}");
    for (String field : refused) {
      var r = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Hi\", " + field + "}");
      assertThat(r.status()).as(field).isEqualTo(400);
      JsonNode error = r.json().get("error");
      assertThat(error.get("code").asText()).isEqualTo("INVALID_REQUEST");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("message").asText()).as(field).contains(field.substring(1, field.indexOf('"', 1)));
    }
    var hosted = post("{\"model\": \"vllm/llama-3.1-8b\", \"input\": \"Hi\", \"tools\": [{\"type\": \"web_search\"}]}");
    assertThat(hosted.json().get("error").get("message").asText()).contains("tools[0]")
        .contains("only targets that serve the Responses API");
    var reference = post("{\"model\": \"gpt-4.1-mini\", \"input\": [{\"type\": \"item_reference\", \"id\": \"msg_1\"}]}");
    assertThat(reference.json().get("error").get("message").asText()).contains("input[0]");
    var byFileId = post("{\"model\": \"gpt-4.1-mini\", \"input\": [{\"role\": \"user\", \"content\": "
        + "[{\"type\": \"input_image\", \"file_id\": \"file-1\"}]}]}");
    assertThat(byFileId.json().get("error").get("message").asText()).contains("input[0].content[0]");
    var clash = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Hi\", \"tools\": [{\"type\": \"custom\", "
        + "\"name\": \"apply_patch\"}, {\"type\": \"function\", \"name\": \"apply_patch\"}]}");
    assertThat(clash.status()).isEqualTo(400);
    assertThat(clash.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(clash.json().get("error").get("message").asText()).contains("'apply_patch'").contains("tools[1]");
    assertThat(post("{\"model\": \"gpt-4.1-mini\", \"store\": false, \"input\": []}").status()).isEqualTo(400);
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void choosesTheTargetAsChatCompletionsDoesAndNeedsAClientKey() {
    e2e.up().otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-haiku-4-5", "a", 5, 1));
    e2e.up().otherwise(RESPONSES, ResponsesBehaviors.answer("gpt-4.1-mini", "b", 5, 1));
    post("{\"model\": \"claude-opus-4-5\", \"input\": \"Hi\"}", "X-ReliAPI-Target", "claude");
    assertThat(e2e.up().last().path()).isEqualTo("/v1/messages");
    assertThat(sent().get("model").asText()).isEqualTo("claude-opus-4-5");
    post("{\"model\": \"claude/claude-haiku-4-5\", \"input\": \"Hi\"}");
    assertThat(e2e.up().last().path()).isEqualTo("/v1/messages");
    post("{\"model\": \"gpt-4o\", \"input\": \"Hi\"}");
    assertThat(e2e.up().last().path()).isEqualTo("/v1/responses");
    assertThat(sent().get("model").asText()).isEqualTo("gpt-4o");

    var stranger = e2e.gw().http.post("/v1/responses", "{\"model\": \"gpt-4o\", \"input\": \"Hi\"}",
        "Authorization", "Bearer wrong");
    assertThat(stranger.status()).isEqualTo(401);
    assertThat(stranger.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    var unknown = post("{\"model\": \"gpt-4o\", \"input\": \"Hi\"}", "X-ReliAPI-Target", "nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").get("code").asText()).isEqualTo("TARGET_NOT_FOUND");
  }

  @Test
  void hasNoRoutesForStoredResponses() {
    var retrieve = e2e.gw().http.get("/v1/responses/resp_1", "Authorization", "Bearer k-app");
    assertThat(retrieve.status()).isEqualTo(404);
    assertThat(retrieve.json().get("error").get("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
    var list = e2e.gw().http.get("/v1/responses", "Authorization", "Bearer k-app");
    assertThat(list.status()).isEqualTo(405);
    assertThat(list.header("Allow")).isEqualTo("POST");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void passesAProvidersErrorOnInOpenAisErrorShape() {
    e2e.up().script(RESPONSES, LlmBehaviors.openAiRateLimited());
    var r = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Hi\"}");

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("20");
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.get("message").asText()).contains("rate_limit_exceeded").doesNotContain("org-secret");
    assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("0");
  }

  @Test
  void reportsAnAnswerCutShortByTheOutputLimitAsIncomplete() {
    e2e.up().script(RESPONSES, ResponsesBehaviors.cut("gpt-4.1-mini", "Once upon", 9, 16));
    JsonNode whole = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Tell a story\", \"max_output_tokens\": 16}").json();
    assertThat(whole.get("status").asText()).isEqualTo("incomplete");
    assertThat(whole.get("incomplete_details").get("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(whole.get("output").get(0).get("status").asText()).isEqualTo("incomplete");

    e2e.up().script("POST /vllm/v1/chat/completions", LlmBehaviors.sse(List.of(
        LlmBehaviors.openAiStreamEvents("llama-3.1-8b", List.of("Once"), 9, 16).get(0),
        LlmBehaviors.openAiStreamEvents("llama-3.1-8b", List.of("Once"), 9, 16).get(1),
        LlmBehaviors.openAiStreamEvents("llama-3.1-8b", List.of("Once"), 9, 16).get(2).replace("\"stop\"", "\"length\""),
        LlmBehaviors.openAiStreamEvents("llama-3.1-8b", List.of("Once"), 9, 16).get(3),
        "data: [DONE]\n\n"), 1));
    var events = SseEvents.parse(post("{\"model\": \"vllm/llama-3.1-8b\", \"input\": \"Tell\", \"stream\": true}").body());
    assertThat(events.getLast().name()).isEqualTo("response.incomplete");
    assertThat(events.getLast().json().get("response").get("incomplete_details").get("reason").asText())
        .isEqualTo("max_output_tokens");
  }

  @Test
  void endsAStreamThatBreaksWithAnErrorEventAndResponseFailed() {
    var events = ResponsesBehaviors.textEvents("gpt-4.1-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up().script(RESPONSES, LlmBehaviors.sseThenReset(events.subList(0, 5), 1));
    var r = post("{\"model\": \"gpt-4.1-mini\", \"input\": \"Hi\", \"stream\": true}");

    assertThat(r.status()).isEqualTo(200);
    var got = SseEvents.parse(r.body());
    assertThat(SseEvents.names(got).subList(got.size() - 2, got.size())).containsExactly("error", "response.failed");
    assertThat(got.get(got.size() - 2).json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    JsonNode failed = got.getLast().json().get("response");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(failed.get("output").get(0).get("content").get(0).get("text").asText()).isEqualTo("Hel");
    assertThat(SseEvents.names(got)).doesNotContain("response.completed");
  }

  @Test
  void aClientNotAllowedOnTheTargetIsRefusedWhicheverWayItNamesIt() {
    for (String[] ask : List.of(new String[] {"{\"model\": \"openai/gpt-4o\", \"input\": \"Hi\"}"},
        new String[] {"{\"model\": \"gpt-4o\", \"input\": \"Hi\"}", "X-ReliAPI-Target", "openai"},
        new String[] {"{\"model\": \"gpt-4o\", \"input\": \"Hi\"}"})) {
      List<String> headers = new ArrayList<>(List.of("Authorization", "Bearer k-narrow"));
      headers.addAll(List.of(ask).subList(1, ask.length));
      var refused = e2e.gw().http.post("/v1/responses", ask[0], headers.toArray(String[]::new));
      assertThat(refused.status()).as(ask[0]).isEqualTo(403);
      assertThat(refused.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
    }
    assertThat(e2e.up().total()).as("nothing reached a provider").isZero();
  }
}
