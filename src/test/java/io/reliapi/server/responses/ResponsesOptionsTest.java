package io.reliapi.server.responses;

import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.server.llm.Untranslatable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Responses request's settings become chat-dialect options of the neutral request. */
class ResponsesOptionsTest {
  final Untranslatable untranslatable = new Untranslatable();

  ObjectNode chat(JsonNode root) {
    return ResponsesOptions.chat(root, untranslatable);
  }

  @Test
  void translatesFunctionToolsToolChoiceFormatAndReasoning() {
    assertThat(chat(json("""
        {"model": "m", "input": "Hi", "metadata": {"a": "b"}, "include": ["x"], "truncation": "auto",
         "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object"},
                    "strict": true}],
         "tool_choice": {"type": "function", "name": "f"}, "parallel_tool_calls": false,
         "text": {"format": {"type": "json_schema", "name": "s", "schema": {"type": "object"}, "strict": true},
                  "verbosity": "low"},
         "reasoning": {"effort": "high", "summary": "auto"}, "user": "u", "service_tier": "flex",
         "safety_identifier": "s1", "prompt_cache_key": "k"}"""))).isEqualTo(json("""
        {"tools": [{"type": "function", "function": {"name": "f", "description": "d",
                    "parameters": {"type": "object"}, "strict": true}}],
         "tool_choice": {"type": "function", "function": {"name": "f"}},
         "verbosity": "low",
         "response_format": {"type": "json_schema", "json_schema": {"name": "s", "schema": {"type": "object"},
                             "strict": true}},
         "reasoning_effort": "high", "parallel_tool_calls": false, "user": "u", "service_tier": "flex",
         "safety_identifier": "s1", "prompt_cache_key": "k"}"""));
  }

  @Test
  void keepsToolChoiceWordsAndPlainFormats() {
    assertThat(chat(json("{\"tool_choice\": \"required\", \"text\": {\"format\": {\"type\": "
        + "\"json_object\"}}}"))).isEqualTo(json("{\"tool_choice\": \"required\", \"response_format\": {\"type\": "
        + "\"json_object\"}}"));
    assertThat(chat(json("{\"text\": {\"format\": {\"type\": \"text\"}}}"))).isEmpty();
  }

  @Test
  void aCustomToolIsAFunctionOfOneStringAndCanBeTheToolChoice() {
    var chat = chat(json("{\"tools\": [{\"type\": \"custom\", \"name\": \"apply_patch\", "
        + "\"description\": \"Edit files.\", \"format\": {\"type\": \"text\"}}], "
        + "\"tool_choice\": {\"type\": \"custom\", \"name\": \"apply_patch\"}}"));
    assertThat(chat).isEqualTo(json("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"apply_patch\", "
        + "\"description\": \"Edit files.\", \"parameters\": {\"type\": \"object\", \"properties\": {\"input\": "
        + "{\"type\": \"string\"}}, \"required\": [\"input\"], \"additionalProperties\": false}}}], "
        + "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"apply_patch\"}}}"));
  }

  @Test
  void aHostedToolOrAChoiceOfOneIsLeftOutOfTheTranslationAndNotedAsUntranslatable() {
    assertThat(chat(json("{\"tools\": [{\"type\": \"function\", \"name\": \"f\"}, "
        + "{\"type\": \"web_search\", \"external_web_access\": false}]}")))
        .isEqualTo(json("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}"));
    assertThat(untranslatable.first()).contains("'tools[1]' (a hosted tool of type web_search)");

    Untranslatable choice = new Untranslatable();
    assertThat(ResponsesOptions.chat(json("{\"tool_choice\": {\"type\": \"web_search_preview\"}}"), choice)).isEmpty();
    assertThat(choice.first()).contains("'tool_choice' (of type web_search_preview)");
  }

  @Test
  void refusesHostedToolsWhoseItemsTheClientMustActOn() {
    for (String type : List.of("local_shell", "shell", "computer_use_preview", "mcp", "image_generation",
        "file_search", "code_interpreter")) {
      assertThat(failure(() -> chat(json("{\"tools\": [{\"type\": \"" + type + "\"}]}"))).getMessage()).as(type)
          .contains("'tools[0]' is of type '" + type + "'").contains("only function, custom and web_search");
    }
    assertThat(failure(() -> chat(json("{\"tool_choice\": {\"type\": \"allowed_tools\", \"mode\": \"auto\"}}")))
        .getMessage()).contains("tool_choice");
  }

  @Test
  void refusesAFunctionAndACustomToolOfTheSameNameNamingBoth() {
    assertThat(failure(() -> chat(json("{\"tools\": [{\"type\": \"function\", \"name\": \"apply_patch\"}, "
        + "{\"type\": \"custom\", \"name\": \"apply_patch\"}]}"))).getMessage())
        .contains("'tools[1]' (custom) has the name 'apply_patch' of 'tools[0]' (function)");
    assertThat(chat(json("{\"tools\": [{\"type\": \"function\", \"name\": \"f\"}, "
        + "{\"type\": \"custom\", \"name\": \"g\"}]}")).get("tools")).hasSize(2);
  }

  @Test
  void refusesShapesItCannotTranslate() {
    assertThat(failure(() -> chat(json("{\"tools\": [{\"name\": \"f\"}]}"))).getMessage())
        .contains("tools[0]' is of type ''");
    assertThat(failure(() -> chat(json("{\"tools\": [{\"type\": \"function\"}]}"))).getMessage())
        .contains("tools[0].name");
    assertThat(failure(() -> chat(json("{\"tool_choice\": {\"type\": \"function\"}}")))
        .getMessage()).contains("tool_choice");
    assertThat(failure(() -> chat(json("{\"text\": {\"format\": {\"type\": \"json_schema\"}}}")))
        .getMessage()).contains("json_schema");
    assertThat(failure(() -> chat(json("{\"parallel_tool_calls\": \"yes\"}"))).getMessage())
        .contains("parallel_tool_calls");
    assertThat(untranslatable.first()).isEmpty();
  }
}
