package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.FreeformCall;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Responses request's {@code instructions} and {@code input} into neutral chat messages: the
 * instructions become a system message; a string input one user message; input items become messages
 * ({@code input_text}/{@code output_text} parts as text, {@code input_image} by URL as images, {@code input_file}
 * as a chat {@code file} part), {@code function_call} items the assistant's tool calls (consecutive calls, and
 * the assistant text just before them, in one assistant message, as chat requires) and
 * {@code function_call_output} items tool messages (the images and files an output holds follow the run of outputs
 * in a user message, as chat's tool messages hold only text); {@code custom_tool_call} items and their outputs likewise,
 * the call's text as {@link FreeformCall} arguments. Reasoning items are left out: they reach a target that
 * serves the Responses API in the body as written, and no other protocol can take them. Served hosted tools' calls
 * ({@code web_search_call}, …) are left out too and noted as untranslatable, so only such a target is sent them. Anything that needs
 * OpenAI's stored state or files (item references, images by {@code file_id}, files by URL) is refused.
 */
final class ResponsesInput {
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

  private final List<ChatMessage> messages = new ArrayList<>();
  private final Untranslatable untranslatable;
  private Content assistantText;
  private ArrayNode toolCalls;
  /** Images and files of the tool outputs being read, for the user message that follows them. */
  private final List<ContentPart> toolMedia = new ArrayList<>();

  private ResponsesInput(Untranslatable untranslatable) {
    this.untranslatable = untranslatable;
  }

  static List<ChatMessage> messages(JsonNode instructions, JsonNode input, Untranslatable untranslatable) {
    ResponsesInput reader = new ResponsesInput(untranslatable);
    if (Fields.given(instructions)) {
      if (!instructions.isTextual()) {
        throw Fields.invalid("Field 'instructions' must be a string.");
      }
      reader.messages.add(ChatMessage.text("system", instructions.asText()));
    }
    if (input != null && input.isTextual()) {
      reader.messages.add(ChatMessage.text("user", input.asText()));
    } else if (input != null && input.isArray() && !input.isEmpty()) {
      for (int i = 0; i < input.size(); i++) {
        reader.item(input.get(i), "input[" + i + "]");
      }
      reader.closeAssistant();
      reader.closeToolOutputs();
    } else {
      throw Fields.invalid("Field 'input' is required: a string or a non-empty list of input items.");
    }
    return reader.messages;
  }

  private void item(JsonNode item, String path) {
    if (!item.isObject()) {
      throw Fields.invalid("Each of 'input' must be an object (" + path + ").");
    }
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    if (!type.endsWith("_call_output")) {
      closeToolOutputs();
    }
    switch (type) {
      case "message" -> message(item, path);
      case "function_call" -> call(item, path, text(item, "arguments", path));
      case "custom_tool_call" -> call(item, path, FreeformCall.arguments(text(item, "input", path)));
      case "function_call_output", "custom_tool_call_output" -> toolOutput(item, path);
      case "reasoning" -> { }
      case "item_reference" -> throw Fields.invalid("'" + path + "' is an item reference: the gateway keeps no "
          + "responses to look items up in; send the items themselves.");
      default -> {
        if (!hosted(type)) {
          throw Fields.invalid("'" + path + ".type' " + quoted(type) + " is not supported: input items are messages, "
              + "function_call, function_call_output, custom_tool_call, custom_tool_call_output, reasoning, "
              + "web_search_call.");
        }
        untranslatable.note("'" + path + "' (a hosted tool's item of type " + Fields.printable(type) + ")");
      }
    }
  }

  /**
   * A tool's output as a {@code tool} message. Chat's tool messages hold only text, so images and files the tool
   * returned (Codex's {@code view_image}) follow, after the last of the outputs, in a user message.
   */
  private void toolOutput(JsonNode item, String path) {
    closeAssistant();
    ObjectNode fields = ChatJson.object().put("tool_call_id", text(item, "call_id", path));
    Content output = content(item.get("output"), path + ".output");
    if (output instanceof Content.Parts parts && parts.parts().stream().anyMatch(p -> !(p instanceof ContentPart.Text))) {
      List<ContentPart> texts = new ArrayList<>();
      for (ContentPart part : parts.parts()) {
        (part instanceof ContentPart.Text ? texts : toolMedia).add(part);
      }
      output = texts.isEmpty() ? new Content.Text("") : new Content.Parts(texts);
    }
    messages.add(new ChatMessage("tool", Optional.of(output), fields));
  }

  /** Ends a run of tool outputs: the images and files they returned follow as one user message. */
  private void closeToolOutputs() {
    if (!toolMedia.isEmpty()) {
      messages.add(new ChatMessage("user", Optional.of(new Content.Parts(List.copyOf(toolMedia))), ChatJson.object()));
      toolMedia.clear();
    }
  }

  /** A served hosted tool's call ({@code web_search_call}). */
  private static boolean hosted(String type) {
    return type.endsWith("_call") && ResponsesOptions.servedHosted(type);
  }

  private void message(JsonNode item, String path) {
    String role = item.path("role").asText("");
    if (!ROLES.contains(role)) {
      throw Fields.invalid("'" + path + ".role' must be one of user, assistant, system, developer.");
    }
    Content content = content(item.get("content"), path + ".content");
    closeAssistant();
    if (role.equals("assistant")) {
      // Held open: function calls that follow belong to the same assistant turn.
      assistantText = content;
    } else {
      messages.add(new ChatMessage(role, Optional.of(content), ChatJson.object()));
    }
  }

  private void call(JsonNode item, String path, String arguments) {
    if (toolCalls == null) {
      toolCalls = ChatJson.array();
    }
    ObjectNode call = toolCalls.addObject().put("id", text(item, "call_id", path)).put("type", "function");
    call.putObject("function").put("name", text(item, "name", path)).put("arguments", arguments);
  }

  /** Ends the assistant turn being read, if any: its text and tool calls become one message. */
  private void closeAssistant() {
    if (assistantText == null && toolCalls == null) {
      return;
    }
    ObjectNode fields = ChatJson.object();
    if (toolCalls != null) {
      fields.set("tool_calls", toolCalls);
    }
    messages.add(new ChatMessage("assistant", Optional.ofNullable(assistantText), fields));
    assistantText = null;
    toolCalls = null;
  }

  private static Content content(JsonNode node, String path) {
    if (node != null && node.isTextual()) {
      return new Content.Text(node.asText());
    }
    if (node == null || !node.isArray()) {
      throw Fields.invalid("'" + path + "' must be a string or a list of content parts.");
    }
    List<ContentPart> parts = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      parts.add(part(node.get(i), path + "[" + i + "]"));
    }
    return new Content.Parts(parts);
  }

  private static ContentPart part(JsonNode part, String path) {
    String type = part.path("type").asText("");
    return switch (type) {
      case "input_text", "output_text" -> new ContentPart.Text(text(part, "text", path));
      case "refusal" -> new ContentPart.Text(text(part, "refusal", path));
      case "input_image" -> {
        if (!part.path("image_url").isTextual()) {
          throw Fields.invalid("'" + path + "' must give 'image_url' (a URL or a data: URL): images stored at "
              + "OpenAI by file_id cannot be sent to every provider.");
        }
        yield new ContentPart.Image(part.get("image_url").asText(),
            Optional.ofNullable(part.get("detail")).filter(JsonNode::isTextual).map(JsonNode::asText));
      }
      case "input_file" -> file(part, path);
      default -> throw Fields.invalid("'" + path + ".type' " + quoted(type) + " is not supported: content parts are "
          + "input_text, output_text, refusal, input_image and input_file.");
    };
  }

  /** A file by its data or OpenAI file id, as chat's {@code file} part; a file by URL has no chat equivalent. */
  private static ContentPart file(JsonNode part, String path) {
    ObjectNode file = ChatJson.object();
    for (String field : List.of("file_data", "file_id", "filename")) {
      if (part.path(field).isTextual()) {
        file.put(field, part.get(field).asText());
      }
    }
    if (!file.has("file_data") && !file.has("file_id")) {
      throw Fields.invalid("'" + path + "' must give 'file_data' or 'file_id' (files by URL are not supported).");
    }
    ObjectNode chat = ChatJson.object().put("type", "file");
    chat.set("file", file);
    return new ContentPart.Other(chat);
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw Fields.invalid("'" + path + "." + field + "' is required and must be a string.");
    }
    return value.asText();
  }

  private static String quoted(String value) {
    return "'" + Fields.printable(value) + "'";
  }
}
