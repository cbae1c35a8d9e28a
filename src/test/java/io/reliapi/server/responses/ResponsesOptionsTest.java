package io.reliapi.server.responses;

import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a Responses request's settings become chat-dialect options of the neutral request. */
class ResponsesOptionsTest {

  @Test
  void translatesFunctionToolsToolChoiceFormatAndReasoning() {
    assertThat(ResponsesOptions.chat(json("""
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
    assertThat(ResponsesOptions.chat(json("{\"tool_choice\": \"required\", \"text\": {\"format\": {\"type\": "
        + "\"json_object\"}}}"))).isEqualTo(json("{\"tool_choice\": \"required\", \"response_format\": {\"type\": "
        + "\"json_object\"}}"));
    assertThat(ResponsesOptions.chat(json("{\"text\": {\"format\": {\"type\": \"text\"}}}"))).isEmpty();
  }

  @Test
  void aCustomToolIsAFunctionOfOneStringAndCanBeTheToolChoice() {
    var chat = ResponsesOptions.chat(json("{\"tools\": [{\"type\": \"custom\", \"name\": \"apply_patch\", "
        + "\"description\": \"Edit files.\", \"format\": {\"type\": \"text\"}}], "
        + "\"tool_choice\": {\"type\": \"custom\", \"name\": \"apply_patch\"}}"));
    assertThat(chat).isEqualTo(json("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"apply_patch\", "
        + "\"description\": \"Edit files.\", \"parameters\": {\"type\": \"object\", \"properties\": {\"input\": "
        + "{\"type\": \"string\"}}, \"required\": [\"input\"], \"additionalProperties\": false}}}], "
        + "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"apply_patch\"}}}"));
  }

  @Test
  void refusesHostedToolsAndShapesItCannotTranslate() {
    assertThat(failure(() -> ResponsesOptions.chat(json("{\"tools\": [{\"type\": \"function\", \"name\": \"f\"}, "
        + "{\"type\": \"file_search\"}]}"))).getMessage()).contains("tools[1]")
        .contains("only function and custom tools");
    assertThat(failure(() -> ResponsesOptions.chat(json("{\"tools\": [{\"type\": \"function\"}]}"))).getMessage())
        .contains("tools[0].name");
    assertThat(failure(() -> ResponsesOptions.chat(json("{\"tool_choice\": {\"type\": \"web_search_preview\"}}")))
        .getMessage()).contains("tool_choice");
    assertThat(failure(() -> ResponsesOptions.chat(json("{\"text\": {\"format\": {\"type\": \"json_schema\"}}}")))
        .getMessage()).contains("json_schema");
    assertThat(failure(() -> ResponsesOptions.chat(json("{\"parallel_tool_calls\": \"yes\"}"))).getMessage())
        .contains("parallel_tool_calls");
  }
}
