package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The server tools Anthropic is running for a streamed answer: from a {@code server_tool_use} (or
 * {@code mcp_tool_use}) block to the block that brings its result ({@code web_search_tool_result},
 * {@code web_fetch_tool_result}, {@code code_execution_tool_result}, {@code mcp_tool_result}, …, each naming its
 * {@code tool_use_id}). A search, a fetch or a run of code may take far longer than the gap between two tokens, and
 * Anthropic sends only {@code ping}s meanwhile: while one runs, a ping says the provider is at work on the answer.
 * Otherwise a ping is a keep-alive that says nothing of it. Used on one event loop.
 */
final class ServerToolRuns {
  /** The ids of the server tool uses whose result has not arrived; null until the first. */
  private Set<String> running;

  /** Notes the content block that started: a server tool's use or its result. */
  void blockStarted(JsonNode block) {
    String type = block.path("type").asText();
    if (type.equals("server_tool_use") || type.equals("mcp_tool_use")) {
      if (running == null) {
        running = new HashSet<>();
      }
      running.add(block.path("id").asText());
    } else if (running != null && block.path("tool_use_id").isTextual()) {
      running.remove(block.get("tool_use_id").asText());
    }
  }

  /** Returns whether a server tool is running: its use was given, its result not yet. */
  boolean any() {
    return running != null && !running.isEmpty();
  }
}
