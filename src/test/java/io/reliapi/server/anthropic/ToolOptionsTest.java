package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.server.llm.Untranslatable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The translation of {@code tools}, {@code tool_choice} and {@code metadata} into OpenAI options. */
class ToolOptionsTest {
  static final String TOOL = "{\"name\": \"f\", \"description\": \"Does f\", \"strict\": true, "
      + "\"input_schema\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}}";
  final Untranslatable untranslatable = new Untranslatable();

  static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  ObjectNode options(String root) {
    ObjectNode options = ChatJson.object();
    ToolOptions.read(json(root), options, untranslatable);
    return options;
  }

  @Test
  void makesACustomToolAFunctionTool() {
    assertThat(options("{\"tools\": [" + TOOL + "]}")).isEqualTo(json("""
        {"tools": [{"type": "function", "function": {"name": "f", "description": "Does f",
          "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}, "strict": true}}]}"""));
    assertThat(options("{\"tools\": [" + TOOL.replace("{\"name\"", "{\"type\": \"custom\", \"name\"") + "]}")
        .get("tools")).hasSize(1);
    assertThat(untranslatable.first()).isEmpty();
  }

  @Test
  void mapsEveryToolChoice() {
    assertThat(choice("{\"type\": \"auto\"}")).isEqualTo(json("{\"tool_choice\": \"auto\"}"));
    assertThat(choice("{\"type\": \"any\"}")).isEqualTo(json("{\"tool_choice\": \"required\"}"));
    assertThat(choice("{\"type\": \"none\"}")).isEqualTo(json("{\"tool_choice\": \"none\"}"));
    assertThat(choice("{\"type\": \"tool\", \"name\": \"f\"}")).isEqualTo(json("""
        {"tool_choice": {"type": "function", "function": {"name": "f"}}}"""));
    assertThat(choice("{\"type\": \"auto\", \"disable_parallel_tool_use\": true}")).isEqualTo(json("""
        {"tool_choice": "auto", "parallel_tool_calls": false}"""));
    assertThat(choice("{\"type\": \"any\", \"disable_parallel_tool_use\": false}")).isEqualTo(json("""
        {"tool_choice": "required"}"""));
  }

  @Test
  void leavesOutAToolChoiceWithoutToolsAsOpenAiRefusesThatButStillChecksIt() {
    assertThat(options("{\"tool_choice\": {\"type\": \"none\"}}")).isEmpty();
    assertThat(catchThrowable(() -> options("{\"tool_choice\": {\"type\": \"sometimes\"}}")))
        .isInstanceOf(GatewayException.class).hasMessageContaining("'tool_choice.type'");
  }

  @Test
  void makesTheMetadataUserIdTheUser() {
    assertThat(options("{\"metadata\": {\"user_id\": \"u-1\"}}")).isEqualTo(json("{\"user\": \"u-1\"}"));
    assertThat(catchThrowable(() -> options("{\"metadata\": 5}"))).hasMessageContaining("'metadata'");
  }

  @Test
  void notesAServerToolAsUntranslatable() {
    ObjectNode options = options("{\"tools\": [" + TOOL + ", {\"type\": \"web_search_20250305\", \"name\": \"web_search\"}]}");
    assertThat(options.get("tools")).hasSize(1);
    assertThat(untranslatable.first()).contains("'tools[1]' (a server tool of type web_search_20250305)");
  }

  @Test
  void refusesToolsItCannotRead() {
    assertThat(catchThrowable(() -> options("{\"tools\": {}}"))).hasMessageContaining("'tools'");
    assertThat(catchThrowable(() -> options("{\"tools\": [{\"input_schema\": {}}]}"))).hasMessageContaining("'tools[0]'");
    assertThat(catchThrowable(() -> options("{\"tools\": [{\"name\": \"f\"}]}")))
        .hasMessageContaining("'tools[0].input_schema'");
    assertThat(catchThrowable(() -> options("{\"tools\": [" + TOOL + "], \"tool_choice\": {\"type\": \"tool\"}}")))
        .hasMessageContaining("'tool_choice.name'");
  }

  private ObjectNode choice(String choice) {
    ObjectNode options = options("{\"tools\": [" + TOOL + "], \"tool_choice\": " + choice + "}");
    options.remove("tools");
    return options;
  }
}
