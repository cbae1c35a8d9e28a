package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.FreeformCall;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a Responses request's settings into the neutral request's options, in chat's dialect (what a chat
 * target is sent, and what the other adapters translate from): flat function tools into chat's nested ones,
 * {@code tool_choice}, {@code text.format} into {@code response_format}, {@code text.verbosity},
 * {@code reasoning.effort} into {@code reasoning_effort}, {@code parallel_tool_calls}, and the fields both APIs
 * share. A custom (freeform) tool becomes a function of one string ({@link FreeformCall}). A served hosted tool
 * ({@link #SERVED_HOSTED}: OpenAI's {@code web_search}, …) and a {@code tool_choice} naming one are noted as
 * untranslatable: they run at OpenAI, so only a target that serves the Responses API can be sent them (in the body
 * as written); other hosted tools are refused. Fields only the Responses
 * API knows ({@code include}, {@code truncation}, {@code metadata}, …) are not translated either.
 */
final class ResponsesOptions {
  private static final List<String> SHARED = List.of("user", "service_tier", "safety_identifier", "prompt_cache_key");
  /**
   * The hosted tools served (by a target with the Responses API): web search, whose output items only tell what the
   * model did, while its text carries what the client needs, and which needs nothing kept at OpenAI. The others are
   * refused: some return what the client must act on or keep (a shell or computer call to run, an MCP approval to
   * give, a generated image), which the answer the gateway renders cannot carry; {@code file_search} and
   * {@code code_interpreter} name vector stores or containers kept in one OpenAI account, which a fallback to
   * another key cannot see (as {@code previous_response_id}).
   */
  static final List<String> SERVED_HOSTED = List.of("web_search");

  private ResponsesOptions() {}

  static ObjectNode chat(JsonNode root, Untranslatable untranslatable) {
    ObjectNode out = ChatJson.object();
    tools(root.get("tools"), out, untranslatable);
    toolChoice(root.get("tool_choice"), out, untranslatable);
    text(root.get("text"), out);
    reasoning(root.get("reasoning"), out);
    JsonNode parallel = root.get("parallel_tool_calls");
    if (Fields.given(parallel)) {
      if (!parallel.isBoolean()) {
        throw Fields.invalid("Field 'parallel_tool_calls' must be true or false.");
      }
      out.set("parallel_tool_calls", parallel);
    }
    for (String field : SHARED) {
      Fields.optionalText(root, field).ifPresent(value -> out.put(field, value));
    }
    return out;
  }

  private static void tools(JsonNode tools, ObjectNode out, Untranslatable untranslatable) {
    if (!Fields.given(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw Fields.invalid("Field 'tools' must be a list of tools.");
    }
    ArrayNode chat = out.putArray("tools");
    Map<String, Integer> typed = new HashMap<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("");
      if (!type.equals("function") && !type.equals("custom")) {
        if (!servedHosted(type)) {
          throw Fields.invalid("'tools[" + i + "]' is of type '" + Fields.printable(type) + "': only function, custom and "
              + "web_search tools are supported (the calls of other hosted tools come back as items the client "
              + "must act on, or use stores kept in one OpenAI account, which a fallback cannot see).");
        }
        untranslatable.note("'tools[" + i + "]' (a hosted tool of type " + Fields.printable(type) + ")");
        continue;
      }
      if (!tool.path("name").isTextual() || tool.get("name").asText().isEmpty()) {
        throw Fields.invalid("'tools[" + i + "].name' is required and must be a non-empty string.");
      }
      String name = tool.get("name").asText();
      Integer other = typed.putIfAbsent(name, i);
      if (other != null && !tools.get(other).path("type").asText("").equals(type)) {
        // Both reach a chat model as functions: a call of that name could not be told to be either.
        throw Fields.invalid("'tools[" + i + "]' (" + type + ") has the name '" + Fields.printable(name)
            + "' of 'tools[" + other + "]' (" + tools.get(other).path("type").asText("") + "): a function and a "
            + "custom tool may not share a name.");
      }
      ObjectNode function = ChatJson.object().put("name", name);
      for (String field : List.of("description", "parameters", "strict")) {
        if (Fields.given(tool.get(field))) {
          function.set(field, tool.get(field));
        }
      }
      if (type.equals("custom")) {
        function.set("parameters", FreeformCall.parameters(format(tool.get("format"))));
      }
      chat.addObject().put("type", "function").set("function", function);
    }
  }

  /** Whether {@code type} names a served hosted tool, dated variants included ({@code web_search_preview_2025_03_11}). */
  static boolean servedHosted(String type) {
    return SERVED_HOSTED.stream().anyMatch(type::startsWith);
  }

  /** What a custom tool's text must be, for the model that sees it as a function's string: its grammar, if any. */
  private static String format(JsonNode format) {
    if (format == null || !format.path("type").asText("").equals("grammar")) {
      return null;
    }
    return "Text in this " + format.path("syntax").asText("") + " grammar, written as it is:\n"
        + format.path("definition").asText("");
  }

  private static void toolChoice(JsonNode choice, ObjectNode out, Untranslatable untranslatable) {
    if (!Fields.given(choice)) {
      return;
    }
    if (choice.isTextual() && List.of("none", "auto", "required").contains(choice.asText())) {
      out.set("tool_choice", choice);
      return;
    }
    if (List.of("function", "custom").contains(choice.path("type").asText("")) && choice.path("name").isTextual()) {
      ObjectNode chat = out.putObject("tool_choice").put("type", "function");
      chat.putObject("function").put("name", choice.get("name").asText());
      return;
    }
    String type = choice.path("type").asText("");
    if (servedHosted(type)) {
      untranslatable.note("'tool_choice' (of type " + Fields.printable(type) + ")");
      return;
    }
    throw Fields.invalid("Field 'tool_choice' must be none, auto, required, {\"type\": \"function\" (or "
        + "\"custom\"), \"name\": …} or a served hosted tool's {\"type\": …}.");
  }

  /** {@code text.format} (flat in the Responses API) becomes chat's {@code response_format}. */
  private static void text(JsonNode text, ObjectNode out) {
    if (!Fields.given(text)) {
      return;
    }
    if (!text.isObject()) {
      throw Fields.invalid("Field 'text' must be an object.");
    }
    nestedText(text, "text", "verbosity").ifPresent(v -> out.put("verbosity", v));
    JsonNode format = text.get("format");
    if (!Fields.given(format)) {
      return;
    }
    switch (format.path("type").asText("")) {
      case "text" -> { }
      case "json_object" -> out.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        if (!format.path("name").isTextual() || !format.path("schema").isObject()) {
          throw Fields.invalid("Field 'text.format' of type json_schema needs a 'name' and a 'schema' object.");
        }
        ObjectNode schema = ChatJson.object();
        for (String field : List.of("name", "description", "schema", "strict")) {
          if (Fields.given(format.get(field))) {
            schema.set(field, format.get(field));
          }
        }
        out.putObject("response_format").put("type", "json_schema").set("json_schema", schema);
      }
      default -> throw Fields.invalid("Field 'text.format.type' must be text, json_object or json_schema.");
    }
  }

  private static void reasoning(JsonNode reasoning, ObjectNode out) {
    if (!Fields.given(reasoning)) {
      return;
    }
    if (!reasoning.isObject()) {
      throw Fields.invalid("Field 'reasoning' must be an object.");
    }
    nestedText(reasoning, "reasoning", "effort").ifPresent(effort -> out.put("reasoning_effort", effort));
  }

  private static Optional<String> nestedText(JsonNode object, String name, String field) {
    JsonNode value = object.get(field);
    if (!Fields.given(value)) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw Fields.invalid("Field '" + name + "." + field + "' must be a string.");
    }
    return Optional.of(value.asText());
  }
}
