package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.DecoderState;
import io.reliapi.llm.ErrorEventStatus;
import io.reliapi.llm.OutputText;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a Chat Completions stream: {@code data:} events holding {@code chat.completion.chunk} objects, the
 * usage chunk (no choices) when asked for, and {@code data: [DONE]}, without which the answer is incomplete.
 */
final class OpenAiStreamDecoder extends DecoderState {
  private final Dialect dialect;
  /** Delta members the neutral parts hold; anything else makes a chunk lossy. */
  private static final Set<String> NEUTRAL_DELTA = Set.of("role", "content", "tool_calls", "reasoning_content",
      "reasoning", "refusal");
  private static final String[] REASONING_FIELDS = {"reasoning_content", "reasoning"};
  private String id;
  private String model;
  private long created;
  private boolean answered; // any part streamed
  private boolean calledTools;
  /** The choice indexes seen ({@code n > 1}) and those whose finish reason came. */
  private final Set<Integer> choicesSeen = new HashSet<>();
  private final Set<Integer> choicesFinished = new HashSet<>();

  OpenAiStreamDecoder(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * {@code [DONE]} is the whole answer even without a finish reason: servers speaking this protocol (proxies in
   * front of other models among them) leave it out, and failing their every stream would fail every such target.
   */
  @Override
  public boolean endMarkerCompletes() {
    return true;
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    String data = event.data();
    if (data.strip().equals("[DONE]")) {
      if (finishReason == null && answered) {
        // A server that leaves finish_reason out: the answer ended as its parts say (a client's agent loop reads
        // "tool_calls" to run them).
        finishReason = calledTools ? "tool_calls" : "stop";
      }
      sink.complete();
      return;
    }
    JsonNode root = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      throw malformedEvent();
    }
    // vLLM's older servers send the error object itself ({"object": "error", ...}), others wrap it in "error".
    JsonNode error = root.path("error").isObject() ? root.get("error")
        : root.path("object").asText("").equals("error") ? root : null;
    if (error != null) {
      sink.providerError(ErrorEventStatus.of(error), data);
      return;
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray()) {
      throw malformedEvent();
    }
    boolean changed = false;
    boolean lossy = false;
    List<ChatChunk.Part> parts = new ArrayList<>(2);
    for (JsonNode choice : choices) {
      if (!choice.isObject()) {
        throw malformedEvent();
      }
      changed |= dialect.normalizeChoice((ObjectNode) choice, "delta");
      OutputText.appendOpenAi(choice.path("delta"), billed);
      int index = choice.path("index").asInt(0);
      choicesSeen.add(index);
      if (choice.path("finish_reason").isTextual()) {
        choicesFinished.add(index);
      }
      if (index != 0) {
        lossy = true;
      } else {
        lossy |= read(choice, parts) || given(choice.path("logprobs"));
      }
    }
    for (ChatChunk.Part part : parts) {
      answered |= !(part instanceof ChatChunk.Start);
      calledTools |= part instanceof ChatChunk.ToolCall;
    }
    Usage reported = ChatCompletion.usage(root.path("usage"));
    if (reported != null) {
      usage = reported;
    }
    if (id == null) {
      id = root.path("id").asText("");
      model = root.path("model").asText("");
      created = root.path("created").asLong(0);
    }
    String json = changed ? root.toString() : data;
    ChatChunk chunk = new ChatChunk(id, model, created, parts, reported, choices.isEmpty() && reported != null, lossy,
        json);
    if (chunk.finishReason() != null) {
      finishReason = chunk.finishReason();
    }
    sink.chunk(chunk);
  }

  /**
   * Whole once every choice seen finished: with {@code n > 1}, choice 0's finish reason says nothing of the others,
   * and a fault while one still streams cuts it.
   */
  @Override
  public boolean finished() {
    return finishReason != null && choicesFinished.containsAll(choicesSeen);
  }

  /**
   * Reads the first choice's delta into parts; returns whether it holds what the parts cannot (audio, a legacy function call, content that is not text).
   */
  private static boolean read(JsonNode choice, List<ChatChunk.Part> parts) {
    JsonNode delta = choice.path("delta");
    boolean lossy = false;
    for (var member : delta.properties()) {
      if (!NEUTRAL_DELTA.contains(member.getKey()) && given(member.getValue())) {
        lossy = true;
      }
    }
    if (delta.path("role").isTextual()) {
      parts.add(new ChatChunk.Start());
    }
    JsonNode content = delta.path("content");
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) {
        parts.add(new ChatChunk.Text(content.asText()));
      }
    } else if (given(content)) {
      lossy = true;
    }
    for (String field : REASONING_FIELDS) {
      if (delta.path(field).isTextual() && !delta.get(field).asText().isEmpty()) {
        parts.add(new ChatChunk.Reasoning(delta.get(field).asText()));
      }
    }
    if (delta.path("refusal").isTextual() && !delta.get("refusal").asText().isEmpty()) {
      parts.add(new ChatChunk.Refusal(delta.get("refusal").asText()));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int index = call.path("index").asInt(0);
      JsonNode function = call.path("function");
      if (call.path("id").isTextual() || function.path("name").isTextual()) {
        parts.add(new ChatChunk.ToolCall(index, call.path("id").asText(null), function.path("name").asText(null)));
      }
      if (function.path("arguments").isTextual() && !function.get("arguments").asText().isEmpty()) {
        parts.add(new ChatChunk.ToolArgs(index, function.get("arguments").asText()));
      }
    }
    if (choice.path("finish_reason").isTextual()) {
      String finish = choice.get("finish_reason").asText();
      parts.add(new ChatChunk.Finish(finish, ChatCompletion.stopSequence(choice, finish)));
    }
    return lossy;
  }

  private static boolean given(JsonNode node) {
    return !node.isMissingNode() && !node.isNull();
  }

  /**
   * Returns whether {@code event} is the usage chunk: no choices, only the usage of the whole stream. Only an
   * event whose {@code choices} is written as an empty list is parsed, so the other chunks cost a text scan.
   */
  static boolean isUsageOnly(SseEvent event) {
    String data = event.data();
    int choices = data.indexOf("\"choices\"");
    if (choices < 0 || !emptyListAt(data, choices + "\"choices\"".length())) {
      return false;
    }
    JsonNode root = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
    return root != null && root.path("choices").isArray() && root.get("choices").isEmpty()
        && root.path("usage").isObject();
  }

  /** Returns whether {@code text} continues at {@code from} with {@code : []} (whitespace allowed). */
  private static boolean emptyListAt(String text, int from) {
    int i = from;
    for (char expected : new char[] {':', '[', ']'}) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= text.length() || text.charAt(i++) != expected) {
        return false;
      }
    }
    return true;
  }
}
