package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One chat message in the neutral model. {@code fields} holds the message's other members in OpenAI's
 * dialect ({@code name}, {@code tool_calls}, {@code tool_call_id}, ...); it is never mutated.
 */
public record ChatMessage(String role, Optional<Content> content, ObjectNode fields) {
  private static final ObjectNode NONE = JsonNodeFactory.instance.objectNode();

  public static ChatMessage text(String role, String text) {
    return new ChatMessage(role, Optional.of(new Content.Text(text)), NONE);
  }

  public Optional<String> name() {
    return text("name");
  }

  public Optional<String> toolCallId() {
    return text("tool_call_id");
  }

  /** Returns the assistant's tool calls in OpenAI's shape, if the message has any. */
  public Optional<JsonNode> toolCalls() {
    JsonNode calls = fields.get("tool_calls");
    return calls != null && calls.isArray() && !calls.isEmpty() ? Optional.of(calls) : Optional.empty();
  }

  /** Returns whether the message is an instruction to the model rather than a turn of the dialogue. */
  public boolean isSystem() {
    return role.equals("system") || role.equals("developer");
  }

  private Optional<String> text(String field) {
    JsonNode node = fields.get(field);
    return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }
}
