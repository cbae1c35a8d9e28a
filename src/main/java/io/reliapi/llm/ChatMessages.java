package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads chat messages written in OpenAI's dialect (both LLM routes accept them), checking their shape. */
public final class ChatMessages {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
  private static final Set<String> ROLE_AND_CONTENT = Set.of("role", "content");

  private ChatMessages() {}

  /** Parses {@code node}, a non-empty list of messages; fails with INVALID_REQUEST naming the bad message. */
  public static List<ChatMessage> parse(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw invalid("Field 'messages' is required.");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw invalid("Field 'messages' must be a non-empty list of messages.");
    }
    List<ChatMessage> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(message(node.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  /**
   * Reads the messages of a request written in a provider's own protocol, only to count them: nothing is
   * refused (the provider judges its own format), unknown roles and content shapes are kept as they are.
   */
  public static List<ChatMessage> lenient(JsonNode node) {
    List<ChatMessage> out = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      if (!(item instanceof ObjectNode message)) {
        out.add(new ChatMessage("user", Optional.of(new Content.Parts(List.of(new ContentPart.Other(item)))),
            ChatJson.object()));
        continue;
      }
      JsonNode content = message.get("content");
      Optional<Content> parsed;
      if (content == null || content.isNull()) {
        parsed = Optional.empty();
      } else if (content.isTextual()) {
        parsed = Optional.of(new Content.Text(content.asText()));
      } else {
        List<ContentPart> parts = new ArrayList<>();
        (content.isArray() ? content : ChatJson.array().add(content)).forEach(part -> parts.add(part(part)));
        parsed = Optional.of(new Content.Parts(parts));
      }
      out.add(new ChatMessage(message.path("role").asText("user"), parsed, ChatJson.without(message, ROLE_AND_CONTENT)));
    }
    return out;
  }

  private static ChatMessage message(JsonNode node, String path) {
    if (!node.isObject()) {
      throw invalid("Each of 'messages' must be an object with 'role' and 'content' (" + path + ").");
    }
    JsonNode role = node.get("role");
    if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
      throw invalid("'" + path + ".role' must be one of system, developer, user, assistant, tool.");
    }
    JsonNode content = node.get("content");
    Optional<Content> parsed = content(content, path);
    if (parsed.isEmpty() && !role.asText().equals("assistant")) {
      throw invalid("'" + path + ".content' is required.");
    }
    return new ChatMessage(role.asText(), parsed, ChatJson.without((ObjectNode) node, ROLE_AND_CONTENT));
  }

  private static Optional<Content> content(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return Optional.of(new Content.Text(node.asText()));
    }
    if (!node.isArray()) {
      throw invalid("'" + path + ".content' must be a string or a list of content parts.");
    }
    List<ContentPart> parts = new ArrayList<>(node.size());
    for (JsonNode part : node) {
      if (!part.isObject() || !part.path("type").isTextual()) {
        throw invalid("Each content part of '" + path + "' must be an object with a 'type'.");
      }
      parts.add(part(part));
    }
    return Optional.of(new Content.Parts(parts));
  }

  private static ContentPart part(JsonNode part) {
    String type = part.path("type").asText("");
    if (type.equals("text") && part.size() == 2 && part.path("text").isTextual()) {
      return new ContentPart.Text(part.get("text").asText());
    }
    JsonNode image = part.get("image_url");
    if (type.equals("image_url") && part.size() == 2 && image != null && image.isObject()
        && image.path("url").isTextual() && image.size() <= 2
        && (image.size() == 1 || image.path("detail").isTextual())) {
      JsonNode detail = image.get("detail");
      return new ContentPart.Image(image.get("url").asText(), Optional.ofNullable(detail).map(JsonNode::asText));
    }
    return new ContentPart.Other(part.deepCopy());
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorCode.INVALID_REQUEST, message);
  }
}
