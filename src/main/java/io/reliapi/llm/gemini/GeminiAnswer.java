package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ParsedAnswer;
import java.util.Optional;

/**
 * Reads a {@code generateContent} answer into the neutral completion and its OpenAI {@code chat.completion} form:
 * the first candidate's text parts joined (thought summaries left out of the content but billed), its function
 * calls as tool calls, its finish reason in OpenAI's words, the usage metadata. A prompt Gemini blocked (no
 * candidates, a {@code promptFeedback.blockReason}) is an empty answer that ended in {@code content_filter}.
 */
final class GeminiAnswer {
  private GeminiAnswer() {}

  static ParsedAnswer read(byte[] bytes, long createdEpochS) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.isObject()) {
      throw invalid();
    }
    String id = root.path("responseId").asText("");
    JsonNode candidate = root.path("candidates").path(0);
    if (!candidate.isObject() && !root.path("promptFeedback").path("blockReason").isTextual()) {
      throw invalid();
    }
    CandidateParts parts = CandidateParts.read(candidate.path("content").path("parts"), CandidateParts.idBase(id), 0);
    String finish = candidate.isObject()
        ? GeminiFinish.toOpenAi(candidate.path("finishReason").asText("STOP"), !parts.calls().isEmpty())
        : "content_filter";
    ArrayNode calls = ChatJson.array();
    parts.calls().forEach(calls::add);
    Completion result = new Completion(id, root.path("modelVersion").asText(""),
        parts.calls().isEmpty() || !parts.text().isEmpty() ? parts.text() : null,
        calls.isEmpty() ? Optional.empty() : Optional.of(calls), finish,
        GeminiUsage.read(root.path("usageMetadata")), null);
    return new ParsedAnswer(result, ChatCompletion.bytes(ChatCompletion.write(result, createdEpochS)), parts.billed(),
        parts.billed().isEmpty() || GeminiUsage.statesOutput(root.path("usageMetadata")));
  }

  static GatewayException invalid() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's answer could not be understood.");
  }
}
