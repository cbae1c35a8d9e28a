package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProtocolItems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A finished answer's thinking, text and Anthropic items in the order Anthropic gave them, for a whole message and
 * for a replayed stream alike. An Anthropic answer's thinking after another block (after a server tool's result)
 * is placed as an item too, beside its copy in {@link Completion#reasoning()} (which other clients read): it is
 * written at its place, as reasoning, and its copy is left out; the rest of the reasoning comes first. Thinking is
 * signed, and Anthropic wants it sent back as it came.
 */
final class AnswerOrder {
  private AnswerOrder() {}

  /** Returns the answer's reasoning, text and items in order (not its refusal or its tool calls). */
  static List<ChatChunk.Part> parts(Completion completion) {
    List<ChatChunk.Part> placed = new ArrayList<>();
    Set<JsonNode> placedThinking = new HashSet<>();
    for (ChatChunk.Part part : ProtocolItems.interleave(completion.content(), completion.items())) {
      ChatChunk.Reasoning thinking = part instanceof ChatChunk.ProtocolItem item ? thinking(item) : null;
      if (thinking != null) {
        placedThinking.add(MessageJson.thinking(thinking));
      }
      placed.add(thinking != null ? thinking : part);
    }
    List<ChatChunk.Part> parts = new ArrayList<>();
    completion.reasoning().stream().filter(r -> !placedThinking.contains(MessageJson.thinking(r))).forEach(parts::add);
    parts.addAll(placed);
    return parts;
  }

  /** Returns an Anthropic item's thinking block as reasoning; null for any other item. */
  private static ChatChunk.Reasoning thinking(ChatChunk.ProtocolItem item) {
    ObjectNode block = MessageJson.block(item);
    return switch (block == null ? "" : block.path("type").asText("")) {
      case "thinking" -> new ChatChunk.Reasoning(block.path("thinking").asText(""),
          block.path("signature").asText(""), false);
      case "redacted_thinking" -> new ChatChunk.Reasoning(block.path("data").asText(""), null, true);
      default -> null;
    };
  }
}
