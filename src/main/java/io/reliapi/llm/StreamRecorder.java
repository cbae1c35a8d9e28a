package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adds a stream's {@code chat.completion.chunk}s up to the {@code chat.completion} they amount to: the text, the
 * tool calls with their arguments joined, the id and model, then the finish reason and usage of the stream's
 * end. Anything a stored completion could not replay as it was streamed makes the recording unkeepable rather
 * than lossy: a second choice, logprobs, or a delta member other than role, content and tool calls (a refusal,
 * reasoning text, audio). So does passing {@code maxBytes}, after which nothing more is held.
 */
final class StreamRecorder {
  private static final Set<String> REPLAYABLE_DELTA = Set.of("role", "content", "tool_calls");

  private final long maxBytes;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
  private String id = "";
  private String model = "";
  private long created;
  private long heldChars;
  private boolean keepable = true;

  StreamRecorder(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Notes that chunks went by before recording started, so the recording cannot be whole. */
  void missedSome() {
    giveUp();
  }

  void add(ChatChunk chunk) {
    if (!keepable) {
      return;
    }
    JsonNode root = Json.parseOrNull(chunk.json().getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      giveUp();
      return;
    }
    id = root.path("id").isTextual() && id.isEmpty() ? root.get("id").asText() : id;
    model = root.path("model").isTextual() && model.isEmpty() ? root.get("model").asText() : model;
    created = root.path("created").canConvertToLong() && created == 0 ? root.get("created").asLong() : created;
    for (JsonNode choice : root.path("choices")) {
      if (choice.path("index").asInt(0) != 0 || !isNull(choice.path("logprobs"))) {
        giveUp();
        return;
      }
      addDelta(choice.path("delta"));
    }
    if (heldChars > maxBytes) {
      giveUp();
    }
  }

  /** Returns what the stream amounted to, given how it ended. */
  StreamRecording completed(StreamEnd end) {
    if (!keepable) {
      return new StreamRecording.NotKept();
    }
    Optional<JsonNode> calls = Optional.empty();
    if (!toolCalls.isEmpty()) {
      ArrayNode array = ChatJson.array();
      toolCalls.values().forEach(call -> array.add(call.json()));
      calls = Optional.of(array);
    }
    String content = text.isEmpty() && calls.isPresent() ? null : text.toString();
    ChatResult result = new ChatResult(id, model, "assistant", content, end.finishReason(), end.usage(), calls);
    Completion completion = new Completion(result, ChatCompletion.bytes(ChatCompletion.write(result, created)));
    return completion.canonical().length() > maxBytes ? new StreamRecording.NotKept()
        : new StreamRecording.Kept(completion);
  }

  private void addDelta(JsonNode delta) {
    for (Map.Entry<String, JsonNode> member : delta.properties()) {
      if (!REPLAYABLE_DELTA.contains(member.getKey()) && !isNull(member.getValue())) {
        giveUp();
        return;
      }
    }
    JsonNode content = delta.path("content");
    if (content.isTextual()) {
      text.append(content.asText());
      heldChars += content.asText().length();
    } else if (!isNull(content)) {
      giveUp();
      return;
    }
    for (JsonNode call : delta.path("tool_calls")) {
      if (!call.path("index").canConvertToInt()) {
        giveUp();
        return;
      }
      heldChars += toolCalls.computeIfAbsent(call.get("index").asInt(), i -> new ToolCall()).add(call);
    }
  }

  private void giveUp() {
    keepable = false;
    text.setLength(0);
    toolCalls.clear();
  }

  private static boolean isNull(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  /** One tool call as its pieces arrive: id, type and name once, the arguments in parts. */
  private static final class ToolCall {
    private String id;
    private String type = "function";
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    /** Adds one piece; returns the characters it added. */
    long add(JsonNode piece) {
      id = piece.path("id").isTextual() ? piece.get("id").asText() : id;
      type = piece.path("type").isTextual() ? piece.get("type").asText() : type;
      JsonNode function = piece.path("function");
      name = function.path("name").isTextual() ? function.get("name").asText() : name;
      String part = function.path("arguments").isTextual() ? function.get("arguments").asText() : "";
      arguments.append(part);
      return part.length();
    }

    ObjectNode json() {
      ObjectNode call = ChatJson.object();
      call.put("id", id);
      call.put("type", type);
      call.putObject("function").put("name", name).put("arguments", arguments.toString());
      return call;
    }
  }
}
