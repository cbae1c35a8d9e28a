package io.reliapi.llm.openai;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A long tool-call id (the gateway's Gemini ids carry Gemini's thought signature, hundreds of characters) sent to
 * OpenAI's own API, which refuses ids over 40 characters in chat and call ids over 64 in the Responses API, and to
 * other OpenAI-protocol servers, which get it as written.
 */
class OpenAiToolCallIdsTest {
  static final String LONG = "call_0__thought__" + "CiQB0e2Kb+/x9Q==".repeat(20);
  static final String SHORT = "call_kX1";

  static LlmConfig llm(String target) {
    return ConfigLoader.parse("""
        targets:
          openai: {base_url: "https://api.openai.com/v1", llm: {provider: openai, default_model: gpt-5}}
          azure: {base_url: "https://res.openai.azure.com/openai/v1", llm: {provider: openai, default_model: gpt-5}}
          vllm: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: m, responses_api: true}}
        """, name -> null).target(target).orElseThrow().llm().orElseThrow();
  }

  static ChatRequest responses() {
    String input = """
        {"model": "gpt-5", "input": [
          {"role": "user", "content": "Weather?"},
          {"type": "function_call", "call_id": "%1$s", "name": "get_weather", "arguments": "{}"},
          {"type": "function_call_output", "call_id": "%1$s", "output": "sunny"},
          {"type": "custom_tool_call", "call_id": "%2$s", "name": "apply_patch", "input": "x"},
          {"type": "custom_tool_call_output", "call_id": "%2$s", "output": "done"}]}""".formatted(LONG, SHORT);
    return new ChatRequest(Optional.of("gpt-5"), "gpt-5", List.of(ChatMessage.text("user", "Hi")), Optional.empty(),
        300, Optional.empty(), Optional.empty(), List.of(), false, ChatJson.object(), ChatJson.object(),
        Optional.empty(), Optional.of(new NativeBody(WireProtocol.OPENAI_RESPONSES, (ObjectNode) json(input), false)));
  }

  static ChatRequest chat() {
    return ChatFixtures.request("gpt-5", """
        [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "%1$s", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}},
           {"id": "%2$s", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "%1$s", "content": "sunny"},
         {"role": "tool", "tool_call_id": "%2$s", "content": "rain"}]""".formatted(LONG, SHORT), 300, false,
        "{}", "{}");
  }

  @Test
  void theResponsesApiAtOpenAiGetsALongCallIdReplacedAlikeInTheCallAndItsOutput() {
    JsonNode input = body(new ResponsesProvider().call(responses(), llm("openai"))).get("input");
    String fitted = input.get(1).get("call_id").asText();
    assertThat(fitted).matches("[a-zA-Z0-9]{24}");
    assertThat(input.get(2).get("call_id").asText()).isEqualTo(fitted);
    assertThat(input.get(3).get("call_id").asText()).as("an id that fits stays").isEqualTo(SHORT);
    assertThat(responses().nativeBody().orElseThrow().body().get("input").get(1).get("call_id").asText())
        .as("the client's body keeps its ids for a fallback").isEqualTo(LONG);

    JsonNode asWritten = body(new ResponsesProvider().call(responses(), llm("vllm"))).get("input");
    assertThat(asWritten.get(1).get("call_id").asText()).as("other servers may need the id back whole")
        .isEqualTo(LONG);
  }

  @Test
  void chatAtOpenAiAndAzureGetsALongIdReplacedAlikeInTheCallAndItsResult() {
    for (String target : List.of("openai", "azure")) {
      JsonNode messages = body(new OpenAiProvider().call(chat(), llm(target))).get("messages");
      String fitted = messages.get(1).get("tool_calls").get(0).get("id").asText();
      assertThat(fitted).as(target).matches("[a-zA-Z0-9]{24}");
      assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo(fitted);
      assertThat(messages.get(1).get("tool_calls").get(1).get("id").asText()).isEqualTo(SHORT);
      assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo(SHORT);
    }
    JsonNode asWritten = body(new OpenAiProvider().call(chat(), llm("vllm"))).get("messages");
    assertThat(asWritten.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo(LONG);
    assertThat(asWritten.get(2).get("tool_call_id").asText()).isEqualTo(LONG);
  }
}
