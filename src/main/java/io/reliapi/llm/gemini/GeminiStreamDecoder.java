package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.DecoderState;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code streamGenerateContent?alt=sse} stream: each event a partial {@code GenerateContentResponse} whose
 * parts hold only the new text (events are separated by CRLF blank lines, which the SSE parser reads), function
 * calls arriving whole. Gemini sends no end marker: the answer is complete at the chunk that carries a
 * {@code finishReason} (with the final usage metadata), or that says the prompt was blocked; anything after it is
 * ignored, and a stream that ends before it was cut off. A chunk with a top-level {@code error} is the provider's
 * error. Code its code execution tool runs, and the run's result, are no part of the neutral answer but say the
 * provider is at work on it ({@link #signsOfWork}).
 */
final class GeminiStreamDecoder extends DecoderState {
  private final long created;
  private String id;
  private String model = "";
  private int calls;
  /** Whether the latest usage metadata stated the output ({@link GeminiUsage#statesOutput}). */
  private boolean outputReported;

  GeminiStreamDecoder(long createdEpochS) {
    this.created = createdEpochS;
  }

  @Override
  public boolean outputReported() {
    // An answer with nothing billed (a blocked prompt) has no output to count: its usage stands as reported.
    return usage != null && (outputReported || billed.isEmpty());
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    JsonNode root = Json.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      throw malformedEvent();
    }
    if (root.path("error").isObject()) {
      sink.providerError(GeminiFinish.status(root.get("error")), event.data());
      return;
    }
    List<ChatChunk.Part> parts = new ArrayList<>(3);
    if (id == null) {
      id = root.path("responseId").asText("");
      model = root.path("modelVersion").asText("");
      parts.add(new ChatChunk.Start());
    }
    Usage reported = GeminiUsage.read(root.path("usageMetadata"));
    if (reported != null) {
      usage = reported;
      outputReported = GeminiUsage.statesOutput(root.path("usageMetadata"));
    }
    JsonNode candidate = root.path("candidates").path(0);
    CandidateParts read = CandidateParts.read(candidate.path("content").path("parts"), CandidateParts.idBase(id), calls);
    billed.append(read.billed());
    if (CandidateParts.codeExecution(candidate.path("content").path("parts"))) {
      signsOfWork++; // the code, or its result: the provider is at work on the answer (a run may take a while)
    }
    if (!read.thoughts().isEmpty()) {
      parts.add(new ChatChunk.Reasoning(read.thoughts()));
    }
    if (!read.text().isEmpty()) {
      parts.add(new ChatChunk.Text(read.text()));
    }
    for (ObjectNode call : read.calls()) {
      JsonNode function = call.get("function");
      parts.add(new ChatChunk.ToolCall(calls, call.get("id").asText(), function.get("name").asText()));
      parts.add(new ChatChunk.ToolArgs(calls, function.get("arguments").asText()));
      calls++;
    }
    boolean blocked = !candidate.isObject() && root.path("promptFeedback").path("blockReason").isTextual();
    if (candidate.path("finishReason").isTextual() || blocked) {
      finishReason = blocked ? "content_filter" : GeminiFinish.toOpenAi(candidate.get("finishReason").asText(), calls > 0);
      parts.add(new ChatChunk.Finish(finishReason));
    }
    if (!parts.isEmpty()) {
      sink.chunk(new ChatChunk(id, model, created, parts, null, false, false, null));
    }
    if (finishReason != null) {
      if (usage != null) {
        sink.chunk(new ChatChunk(id, model, created, List.of(), usage, true, false, null));
      }
      sink.complete();
    }
  }
}
