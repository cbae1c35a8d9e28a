package io.reliapi.llm.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ToolCallIdFit;

/** Gives the tool calls of a Mistral request, and the results that name them, ids Mistral accepts. */
final class MistralToolIds {
  private MistralToolIds() {}

  /** Rewrites the ids of {@code messages}' tool calls and of the tool results that name them, in place. */
  static void adapt(JsonNode messages) {
    for (JsonNode message : messages) {
      if (!(message instanceof ObjectNode node)) {
        continue;
      }
      if (node.path("tool_call_id").isTextual()) {
        node.put("tool_call_id", ToolCallIdFit.MISTRAL.of(node.get("tool_call_id").asText()));
      }
      for (JsonNode call : node.path("tool_calls")) {
        if (call instanceof ObjectNode callNode && callNode.path("id").isTextual()) {
          callNode.put("id", ToolCallIdFit.MISTRAL.of(callNode.get("id").asText()));
        }
      }
    }
  }
}
