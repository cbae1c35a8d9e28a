package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.DecoderState;
import io.reliapi.llm.ErrorEventStatus;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Responses API stream: typed events ({@code response.output_item.added},
 * {@code response.output_text.delta}, {@code response.function_call_arguments.delta}, …) into neutral parts,
 * ending complete only with {@code response.completed} or {@code response.incomplete}. The stream starts with
 * the first output item, not with {@code response.created}: an error the provider sends before any output
 * ({@code response.failed}, or an {@code error} event, such as a context overflow or a rate limit inside a 200
 * stream) is then still an ordinary error answer that retries and fallback can act on. Function and custom tool
 * calls are {@link ResponsesCalls}'. Any other item (reasoning with its
 * {@code encrypted_content}, a hosted tool's call) is a protocol item when it is done, whole, for a Responses client
 * alone; its progress events add nothing beside it, but say the provider is at work on the answer
 * ({@link ResponsesProgress}). An annotation of the text is a protocol item too
 * ({@link TextAnnotations}). Events that add what no part holds (audio) mark their chunk lossy; bookkeeping events
 * ({@code content_part.*}, {@code *.done}) add nothing.
 */
final class ResponsesStreamDecoder extends DecoderState {
  /** Events adding what neither the neutral parts nor an item given whole carry: audio. */
  private static final List<String> LOSSY = List.of("response.audio.");
  private final long created;
  private final ResponsesCalls calls = new ResponsesCalls(billed);
  private final TextAnnotations annotations = new TextAnnotations();
  private String id = "";
  private String model = "";
  private boolean started;
  /** The {@code web_search_call} items done so far, billed per call. */
  private long searches;

  ResponsesStreamDecoder(long created) {
    this.created = created;
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    JsonNode root = Json.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject() || !root.path("type").isTextual()) {
      throw malformedEvent();
    }
    List<ChatChunk.Part> parts = new ArrayList<>(2);
    boolean lossy = false;
    String type = root.get("type").asText();
    if (ResponsesProgress.working(type)) {
      signsOfWork++;
    }
    switch (type) {
      case "response.created", "response.in_progress", "response.queued" -> remember(root.path("response"));
      case "response.output_item.added" -> itemAdded(root, parts);
      case "response.output_item.done" -> {
        calls.done(root, parts);
        given(root.path("item"), parts);
        searches += ResponsesWire.search(root.path("item")) ? 1 : 0;
      }
      case "response.output_text.delta" -> text(root, parts);
      case "response.output_text.annotation.added" -> parts.add(annotations.added(root));
      case "response.refusal.delta" -> {
        String delta = root.path("delta").asText("");
        billed.append(delta);
        parts.add(new ChatChunk.Refusal(delta));
      }
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
        String delta = root.path("delta").asText("");
        billed.append(delta);
        parts.add(new ChatChunk.Reasoning(delta));
      }
      case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" -> {
        if (!calls.delta(root, parts)) {
          throw malformedEvent();
        }
      }
      case "response.completed", "response.incomplete" -> {
        end(type, root.path("response"), sink);
        return;
      }
      case "response.failed" -> {
        JsonNode error = root.path("response").path("error");
        sink.providerError(ErrorEventStatus.of(error), ResponsesWire.errorBody(error));
        return;
      }
      case "error" -> {
        JsonNode error = root.path("error").isObject() ? root.get("error") : root;
        sink.providerError(ErrorEventStatus.of(error), ResponsesWire.errorBody(error));
        return;
      }
      default -> lossy = lossy(type);
    }
    if (!parts.isEmpty() || lossy && started) {
      emit(parts, lossy, null, sink);
    }
  }

  private void remember(JsonNode response) {
    if (response.path("id").isTextual()) {
      id = response.get("id").asText();
    }
    if (response.path("model").isTextual()) {
      model = response.get("model").asText();
    }
  }

  /** A new output item: a call begins ({@link ResponsesCalls}); any other item starts the answer if nothing did yet. */
  private void itemAdded(JsonNode root, List<ChatChunk.Part> parts) {
    if (ResponsesCalls.call(root.path("item"))) {
      calls.added(root, parts);
    } else if (!started) {
      parts.add(new ChatChunk.Start());
    }
  }

  /** A finished item a Responses client is given back whole: reasoning, a hosted tool's call (no message or call). */
  private static void given(JsonNode item, List<ChatChunk.Part> parts) {
    if (ResponsesAnswer.given(item)) {
      parts.add(new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES, item.toString(), ""));
    }
  }

  private void text(JsonNode event, List<ChatChunk.Part> parts) {
    JsonNode delta = event.path("delta");
    if (delta.isTextual() && !delta.asText().isEmpty()) {
      annotations.text(event, delta.asText());
      billed.append(delta.asText());
      parts.add(new ChatChunk.Text(delta.asText()));
    }
  }

  private static boolean lossy(String type) {
    for (String prefix : LOSSY) {
      if (type.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private void end(String event, JsonNode response, Sink sink) {
    remember(response);
    Usage reported = ResponsesWire.withSearches(ResponsesWire.usage(response.path("usage")), searches);
    if (reported != null) {
      usage = reported;
    }
    finishReason = ResponsesWire.finishReason(event, response, !calls.isEmpty());
    List<ChatChunk.Part> parts = new ArrayList<>(2);
    calls.closeAll(parts);
    parts.add(new ChatChunk.Finish(finishReason));
    emit(parts, false, reported, sink);
    sink.complete();
  }

  private void emit(List<ChatChunk.Part> parts, boolean lossy, Usage reported, Sink sink) {
    if (!started) {
      started = true;
      if (!(parts.getFirst() instanceof ChatChunk.Start)) {
        parts.addFirst(new ChatChunk.Start());
      }
    }
    sink.chunk(new ChatChunk(id, model, created, parts, reported, false, lossy, null));
  }
}
