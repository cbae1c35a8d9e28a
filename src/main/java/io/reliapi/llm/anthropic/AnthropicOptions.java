package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.UserIds;

/**
 * Translates the OpenAI-dialect options of a {@code /v1} request into the Messages API: {@code tools} (function
 * tools become {@code {name, description, input_schema}}), {@code tool_choice} ({@code required} is
 * {@code any}, a named function is {@code {type: tool, name}}), {@code parallel_tool_calls: false}
 * ({@code disable_parallel_tool_use}), {@code user} ({@code metadata.user_id}, {@link UserIds#forAnthropic}) and a
 * strict {@code json_schema} {@code response_format} ({@code output_config.format} or an instruction in the system
 * prompt, {@link StructuredOutputs}; a schema not marked strict is dropped, as Anthropic constrains every schema it is given and may refuse one OpenAI would only follow). The other
 * OpenAI options have no Messages API equivalent and are dropped.
 */
final class AnthropicOptions {
  private AnthropicOptions() {}

  static void translate(ObjectNode options, LlmConfig.StructuredOutputs structuredOutputs, ObjectNode body) {
    JsonNode tools = options.get("tools");
    if (tools != null && tools.isArray()) {
      ArrayNode out = body.putArray("tools");
      for (JsonNode tool : tools) {
        JsonNode fn = tool.path("function");
        if (!tool.path("type").asText("function").equals("function") || !fn.isObject()) {
          continue;
        }
        ObjectNode t = out.addObject();
        t.put("name", fn.path("name").asText());
        if (fn.path("description").isTextual()) {
          t.put("description", fn.get("description").asText());
        }
        t.set("input_schema", fn.path("parameters").isObject() ? fn.get("parameters")
            : ChatJson.object().put("type", "object"));
      }
    }
    ObjectNode choice = toolChoice(options.get("tool_choice"));
    if (options.path("parallel_tool_calls").isBoolean() && !options.get("parallel_tool_calls").asBoolean()) {
      choice = choice == null ? ChatJson.object().put("type", "auto") : choice;
      choice.put("disable_parallel_tool_use", true);
    }
    if (choice != null) {
      body.set("tool_choice", choice);
    }
    JsonNode format = options.path("response_format");
    if (format.path("type").asText("").equals("json_schema") && format.path("json_schema").path("strict").asBoolean()
        && format.path("json_schema").path("schema").isObject()) {
      // A strict schema is a guarantee the client relies on; Anthropic's structured outputs give the same one.
      StructuredOutputs.apply(format.get("json_schema").get("schema"), structuredOutputs, body);
    }
    if (options.path("user").isTextual()) {
      UserIds.forAnthropic(options.get("user").asText())
          .ifPresent(user -> body.putObject("metadata").put("user_id", user));
    }
  }

  private static ObjectNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "required" -> ChatJson.object().put("type", "any");
        case "none" -> ChatJson.object().put("type", "none");
        default -> ChatJson.object().put("type", "auto");
      };
    }
    String name = choice.path("function").path("name").asText("");
    return name.isEmpty() ? null : ChatJson.object().put("type", "tool").put("name", name);
  }
}
