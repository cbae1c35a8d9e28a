package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;

/**
 * Translates the OpenAI-dialect options of a request into {@code generateContent}: function {@code tools} become
 * {@code functionDeclarations} (their JSON schema as {@code parametersJsonSchema}, which takes full JSON Schema),
 * {@code tool_choice} the {@code functionCallingConfig} mode ({@code none} NONE, {@code auto} AUTO,
 * {@code required} ANY, a named function ANY limited to it), {@code response_format} the response MIME type and
 * schema, and {@code seed}, {@code presence_penalty}, {@code frequency_penalty}, {@code n} their
 * {@code generationConfig} fields. Other OpenAI options have no Gemini equivalent and are dropped.
 */
final class GeminiOptions {
  private GeminiOptions() {}

  static void translate(ObjectNode options, ObjectNode body, ObjectNode config) {
    tools(options.get("tools"), body);
    toolChoice(options.get("tool_choice"), body);
    copyNumber(options, "seed", config, "seed");
    copyNumber(options, "presence_penalty", config, "presencePenalty");
    copyNumber(options, "frequency_penalty", config, "frequencyPenalty");
    copyNumber(options, "n", config, "candidateCount");
    JsonNode format = options.path("response_format");
    switch (format.path("type").asText("")) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        JsonNode schema = format.path("json_schema").path("schema");
        if (schema.isObject()) {
          config.set("responseJsonSchema", schema);
        }
      }
      default -> { }
    }
  }

  private static void tools(JsonNode tools, ObjectNode body) {
    if (tools == null || !tools.isArray()) {
      return;
    }
    ArrayNode declarations = ChatJson.array();
    for (JsonNode tool : tools) {
      JsonNode fn = tool.path("function");
      if (!tool.path("type").asText("function").equals("function") || !fn.isObject()) {
        continue;
      }
      ObjectNode declaration = declarations.addObject();
      declaration.put("name", fn.path("name").asText());
      if (fn.path("description").isTextual()) {
        declaration.put("description", fn.get("description").asText());
      }
      if (fn.path("parameters").isObject()) {
        declaration.set("parametersJsonSchema", fn.get("parameters"));
      }
    }
    if (!declarations.isEmpty()) {
      body.putArray("tools").addObject().set("functionDeclarations", declarations);
    }
  }

  private static void toolChoice(JsonNode choice, ObjectNode body) {
    if (choice == null || choice.isNull()) {
      return;
    }
    ObjectNode config = ChatJson.object();
    if (choice.isTextual()) {
      config.put("mode", switch (choice.asText()) {
        case "required" -> "ANY";
        case "none" -> "NONE";
        default -> "AUTO";
      });
    } else {
      String name = choice.path("function").path("name").asText("");
      if (name.isEmpty()) {
        return;
      }
      config.put("mode", "ANY");
      config.putArray("allowedFunctionNames").add(name);
    }
    body.putObject("toolConfig").set("functionCallingConfig", config);
  }

  private static void copyNumber(ObjectNode options, String from, ObjectNode config, String to) {
    JsonNode value = options.get(from);
    if (value != null && value.isNumber()) {
      config.set(to, value);
    }
  }
}
