package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import java.util.ArrayList;
import java.util.List;

/**
 * What one candidate's parts say, in the neutral model's terms: the text the user reads, the thought summaries
 * ({@code thought: true}), the function calls (whole, with their thought signatures) and the text Gemini bills
 * as output. Function calls are numbered from {@code firstCall}, so a stream numbers them across its chunks.
 */
record CandidateParts(String text, String thoughts, List<ObjectNode> calls, String billed) {

  /** Reads {@code parts}; call ids are {@code idBase} and the call's number, plus its signature. */
  static CandidateParts read(JsonNode parts, String idBase, int firstCall) {
    StringBuilder text = new StringBuilder();
    StringBuilder thoughts = new StringBuilder();
    StringBuilder billed = new StringBuilder();
    List<ObjectNode> calls = new ArrayList<>();
    for (JsonNode part : parts) {
      JsonNode call = part.path("functionCall");
      if (call.isObject()) {
        String name = call.path("name").asText("");
        String args = call.path("args").isObject() ? call.get("args").toString() : "{}";
        String id = ToolCallIds.id(idBase + (firstCall + calls.size()), part.path("thoughtSignature").asText(""));
        ObjectNode openAi = ChatJson.object().put("id", id).put("type", "function");
        openAi.putObject("function").put("name", name).put("arguments", args);
        calls.add(openAi);
        billed.append(name).append(args);
      } else if (part.path("text").isTextual()) {
        (part.path("thought").asBoolean(false) ? thoughts : text).append(part.get("text").asText());
        billed.append(part.get("text").asText());
      }
    }
    return new CandidateParts(text.toString(), thoughts.toString(), List.copyOf(calls), billed.toString());
  }

  /**
   * Returns whether {@code parts} hold code Gemini's code execution tool runs on its side ({@code executableCode}) or
   * what the run gave ({@code codeExecutionResult}): no part of the neutral answer, but the answer moving on.
   */
  static boolean codeExecution(JsonNode parts) {
    for (JsonNode part : parts) {
      if (part.has("executableCode") || part.has("codeExecutionResult")) {
        return true;
      }
    }
    return false;
  }

  /** Returns the prefix of the ids of an answer's calls: unique per answer where Gemini named the answer. */
  static String idBase(String responseId) {
    return responseId == null || responseId.isEmpty() ? "call_" : "call_" + responseId + "_";
  }
}
