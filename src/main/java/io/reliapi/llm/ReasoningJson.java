package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A completion's visible reasoning in its stored {@code chat.completion} form: the text as
 * {@code message.reasoning_content} (as DeepSeek, vLLM and others send it), and, where Anthropic signed or
 * redacted it, the blocks themselves as {@code message.thinking_blocks} (LiteLLM's name for them), so an
 * Anthropic client replayed from the store gets back blocks it can send again with its tool results.
 */
final class ReasoningJson {
  private ReasoningJson() {}

  static void write(List<ChatChunk.Reasoning> reasoning, ObjectNode message) {
    if (reasoning.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode blocks = ChatJson.array();
    boolean signed = false;
    for (ChatChunk.Reasoning block : reasoning) {
      if (block.redacted()) {
        blocks.addObject().put("type", "redacted_thinking").put("data", block.text());
        signed = true;
        continue;
      }
      text.append(block.text());
      blocks.addObject().put("type", "thinking").put("thinking", block.text()).put("signature", block.signature());
      signed |= block.signature() != null;
    }
    message.put("reasoning_content", text.toString());
    if (signed) {
      message.set("thinking_blocks", blocks);
    }
  }

  static List<ChatChunk.Reasoning> read(JsonNode message) {
    List<ChatChunk.Reasoning> out = new ArrayList<>();
    JsonNode blocks = message.path("thinking_blocks");
    if (blocks.isArray() && !blocks.isEmpty()) {
      for (JsonNode block : blocks) {
        if (block.path("type").asText().equals("redacted_thinking")) {
          out.add(new ChatChunk.Reasoning(block.path("data").asText(""), null, true));
        } else {
          out.add(new ChatChunk.Reasoning(block.path("thinking").asText(""), block.path("signature").textValue(),
              false));
        }
      }
      return out;
    }
    for (String field : new String[] {"reasoning_content", "reasoning"}) {
      if (message.path(field).isTextual() && !message.get(field).asText().isEmpty()) {
        out.add(new ChatChunk.Reasoning(message.get(field).asText()));
        break;
      }
    }
    return out;
  }
}
