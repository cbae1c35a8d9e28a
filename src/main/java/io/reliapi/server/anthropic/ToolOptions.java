package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.UserIds;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;

/**
 * Reads a Messages request's {@code tools}, {@code tool_choice} and {@code metadata} into OpenAI-dialect options:
 * a custom tool {@code {name, description, input_schema, strict}} becomes a function tool with those as
 * {@code parameters}; {@code tool_choice} {@code auto}, {@code any}, {@code tool} and {@code none} become
 * {@code "auto"}, {@code "required"}, a named function and {@code "none"}; {@code disable_parallel_tool_use}
 * becomes {@code parallel_tool_calls: false}; {@code metadata.user_id} becomes {@code user}
 * ({@link UserIds#forOpenAi}). A server tool (any {@code type} but {@code custom}) runs at Anthropic only and is
 * noted as untranslatable.
 */
final class ToolOptions {
  private ToolOptions() {}

  static void read(JsonNode root, ObjectNode options, Untranslatable untranslatable) {
    ArrayNode tools = tools(root.get("tools"), untranslatable);
    if (!tools.isEmpty()) {
      options.set("tools", tools);
      choice(root.get("tool_choice"), options);
    } else if (Fields.given(root.get("tool_choice"))) {
      choice(root.get("tool_choice"), ChatJson.object()); // checked; without tools it means nothing to OpenAI
    }
    JsonNode metadata = root.get("metadata");
    if (Fields.given(metadata) && !metadata.isObject()) {
      throw Fields.invalid("Field 'metadata' must be an object.");
    }
    if (Fields.given(metadata) && metadata.path("user_id").isTextual()) {
      UserIds.forOpenAi(metadata.get("user_id").asText()).ifPresent(user -> options.put("user", user));
    }
  }

  private static ArrayNode tools(JsonNode tools, Untranslatable untranslatable) {
    ArrayNode out = ChatJson.array();
    if (!Fields.given(tools)) {
      return out;
    }
    if (!tools.isArray()) {
      throw Fields.invalid("Field 'tools' must be a list of tools.");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!tool.isObject() || !tool.path("name").isTextual()) {
        throw Fields.invalid("'tools[" + i + "]' must be an object with a string 'name'.");
      }
      if (!type.equals("custom")) {
        untranslatable.note("'tools[" + i + "]' (a server tool of type " + type + ")");
        continue;
      }
      if (!tool.path("input_schema").isObject()) {
        throw Fields.invalid("'tools[" + i + "].input_schema' must be an object (a JSON schema).");
      }
      ObjectNode function = out.addObject().put("type", "function").putObject("function");
      function.put("name", tool.get("name").asText());
      if (tool.path("description").isTextual()) {
        function.put("description", tool.get("description").asText());
      }
      function.set("parameters", tool.get("input_schema"));
      if (tool.path("strict").isBoolean()) {
        function.put("strict", tool.get("strict").asBoolean());
      }
    }
    return out;
  }

  private static void choice(JsonNode choice, ObjectNode options) {
    if (!Fields.given(choice)) {
      return;
    }
    String type = choice.path("type").asText("");
    switch (type) {
      case "auto" -> options.put("tool_choice", "auto");
      case "any" -> options.put("tool_choice", "required");
      case "none" -> options.put("tool_choice", "none");
      case "tool" -> {
        if (!choice.path("name").isTextual()) {
          throw Fields.invalid("'tool_choice.name' must name a tool when its type is tool.");
        }
        options.putObject("tool_choice").put("type", "function").putObject("function")
            .put("name", choice.get("name").asText());
      }
      default -> throw Fields.invalid("'tool_choice.type' must be auto, any, tool or none.");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false) && !type.equals("none")) {
      options.put("parallel_tool_calls", false);
    }
  }
}
