package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code system} and {@code messages} of a Messages request into OpenAI-dialect chat messages: the
 * system prompt (and a system turn) becomes a system message; a user turn's {@code tool_result} blocks become
 * {@code tool} messages (before the rest of the turn, as Anthropic places them first); an assistant turn's
 * {@code tool_use} blocks become its {@code tool_calls}; text and images become parts ({@link ContentBlocks}).
 * Thinking blocks the client sends back are for Anthropic alone and are left out. What no OpenAI-dialect
 * message can hold is noted in {@link Untranslatable}.
 */
final class MessageTurns {
  private final ContentBlocks blocks;

  MessageTurns(Untranslatable untranslatable) {
    this.blocks = new ContentBlocks(untranslatable);
  }

  List<ChatMessage> read(JsonNode system, JsonNode messages) {
    List<ChatMessage> out = new ArrayList<>();
    system(system, "system").ifPresent(out::add);
    if (!Fields.given(messages)) {
      throw Fields.invalid("Field 'messages' is required.");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw Fields.invalid("Field 'messages' must be a non-empty list of messages.");
    }
    for (int i = 0; i < messages.size(); i++) {
      turn(messages.get(i), "messages[" + i + "]", out);
    }
    return out;
  }

  private Optional<ChatMessage> system(JsonNode system, String path) {
    if (!Fields.given(system)) {
      return Optional.empty();
    }
    if (system.isTextual()) {
      return Optional.of(ChatMessage.text("system", system.asText()));
    }
    if (!system.isArray()) {
      throw Fields.invalid("'" + path + "' must be a string or a list of text blocks.");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!block.path("type").asText().equals("text") || !block.path("text").isTextual()) {
        throw Fields.invalid("'" + path + "[" + i + "]' must be a text block: {\"type\": \"text\", \"text\": ...}.");
      }
      parts.add(new ContentPart.Text(block.get("text").asText()));
    }
    return Optional.of(new ChatMessage("system", Optional.of(new Content.Parts(parts)), ChatJson.object()));
  }

  private void turn(JsonNode message, String path, List<ChatMessage> out) {
    String role = message.path("role").asText("");
    if (!message.isObject() || !(role.equals("user") || role.equals("assistant") || role.equals("system"))) {
      throw Fields.invalid("'" + path + ".role' must be user, assistant or system.");
    }
    JsonNode content = message.get("content");
    if (role.equals("system")) {
      // A system turn between the others (newer Messages API versions) holds text only, like the system prompt.
      system(content, path + ".content").ifPresent(out::add);
      return;
    }
    if (content != null && content.isTextual()) {
      out.add(ChatMessage.text(role, content.asText()));
      return;
    }
    if (content == null || !content.isArray()) {
      throw Fields.invalid("'" + path + ".content' must be a string or a list of content blocks.");
    }
    for (int i = 0; i < content.size(); i++) {
      if (!content.get(i).isObject() || !content.get(i).path("type").isTextual()) {
        throw Fields.invalid("Each block of '" + path + ".content' must be an object with a 'type' (" + path
            + ".content[" + i + "]).");
      }
    }
    if (role.equals("assistant")) {
      out.add(assistant(content, path));
    } else {
      user(content, path, out);
    }
  }

  /**
   * A user turn: its tool results as tool messages first, then whatever else it says as one user message, led by
   * the images the tools returned (after all the tool messages, which chat wants right after the calls).
   */
  private void user(JsonNode content, String path, List<ChatMessage> out) {
    List<ContentPart> images = new ArrayList<>();
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String where = path + ".content[" + i + "]";
      if (block.path("type").asText().equals("tool_result")) {
        toolResult(block, where, out, images);
      } else {
        blocks.userPart(block, where).ifPresent(parts::add);
      }
    }
    parts.addAll(0, images);
    if (!parts.isEmpty()) {
      out.add(new ChatMessage("user", Optional.of(new Content.Parts(parts)), ChatJson.object()));
    }
  }

  /**
   * A tool result as a {@code tool} message: its text (an error marked {@code Error: }, since OpenAI's tool
   * messages have no error flag); images it returned are added to {@code images}, as tool messages hold only text.
   */
  private void toolResult(JsonNode block, String where, List<ChatMessage> out, List<ContentPart> images) {
    JsonNode id = block.get("tool_use_id");
    if (id == null || !id.isTextual()) {
      throw Fields.invalid("'" + where + ".tool_use_id' must be a string.");
    }
    List<String> texts = new ArrayList<>();
    JsonNode content = block.get("content");
    if (content != null && content.isTextual()) {
      texts.add(content.asText());
    } else if (content != null && content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        Optional<ContentPart> part = blocks.userPart(content.get(i), where + ".content[" + i + "]");
        if (part.orElse(null) instanceof ContentPart.Text t) {
          texts.add(t.text());
        } else {
          part.ifPresent(images::add);
        }
      }
    } else if (Fields.given(content)) {
      throw Fields.invalid("'" + where + ".content' must be a string or a list of content blocks.");
    }
    String text = (block.path("is_error").asBoolean(false) ? "Error: " : "") + String.join("\n", texts);
    ObjectNode fields = ChatJson.object().put("tool_call_id", id.asText());
    out.add(new ChatMessage("tool", Optional.of(new Content.Text(text)), fields));
  }

  /** An assistant turn: its text, and its {@code tool_use} blocks as OpenAI tool calls. */
  private ChatMessage assistant(JsonNode content, String path) {
    List<ContentPart> parts = new ArrayList<>();
    ArrayNode calls = ChatJson.array();
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      String where = path + ".content[" + i + "]";
      switch (block.path("type").asText()) {
        case "tool_use" -> calls.add(toolCall(block, where));
        case "thinking", "redacted_thinking" -> { } // Anthropic's own, signed for Anthropic: no other model reads it
        default -> blocks.assistantPart(block, where).ifPresent(parts::add);
      }
    }
    ObjectNode fields = ChatJson.object();
    if (!calls.isEmpty()) {
      fields.set("tool_calls", calls);
    }
    Optional<Content> text = parts.isEmpty() ? Optional.empty()
        : parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text t ? Optional.of(new Content.Text(t.text()))
        : Optional.of(new Content.Parts(parts));
    if (text.isEmpty() && calls.isEmpty()) {
      text = Optional.of(new Content.Text(""));
    }
    return new ChatMessage("assistant", text, fields);
  }

  private static ObjectNode toolCall(JsonNode block, String where) {
    if (!block.path("id").isTextual() || !block.path("name").isTextual()) {
      throw Fields.invalid("'" + where + "' must have a string 'id' and 'name'.");
    }
    JsonNode input = block.get("input");
    ObjectNode call = ChatJson.object().put("id", block.get("id").asText()).put("type", "function");
    call.putObject("function").put("name", block.get("name").asText())
        .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
    return call;
  }
}
