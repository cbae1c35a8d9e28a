package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.DecoderState;
import io.reliapi.llm.ErrorEventStatus;
import io.reliapi.llm.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Messages API stream ({@code message_start}, {@code content_block_start/delta/stop},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}) into neutral
 * {@link ChatChunk}s, with the blocks only an Anthropic client is given back (server tool blocks, cited text) whole
 * at their stop ({@link ItemBlocks}). A {@code ping} while a server tool runs ({@link ServerToolRuns}) says the
 * provider is at work on the answer ({@link #signsOfWork}). The answer is complete only at {@code message_stop};
 * unknown event types are skipped, as Anthropic asks of its clients.
 */
final class AnthropicStreamDecoder extends DecoderState {
  private final long created;
  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  /** The input a tool_use block started with, until an argument fragment arrives for it. */
  private final Map<Integer, String> inputUnsent = new HashMap<>();
  private final ItemBlocks items = new ItemBlocks();
  private final ServerToolRuns toolRuns = new ServerToolRuns();
  private String id = "";
  private String model = "";
  /** Whether a {@code message_delta} reported the output: {@code message_start}'s is a placeholder. */
  private boolean outputReported;
  /** Whether the events reported the prompt ({@link StreamUsage#promptReported}); a missing usage reports none. */
  private boolean promptReported;
  /** The usage the events reported so far, merged ({@link StreamUsage}); null until one reports any. */
  private ObjectNode reportedUsage;

  AnthropicStreamDecoder(long createdEpochS) {
    this.created = createdEpochS;
  }

  @Override
  public boolean outputReported() {
    return outputReported;
  }

  @Override
  public boolean promptReported() {
    return promptReported;
  }

  @Override
  public void bufferedIn(HeldBytes buffered) {
    items.bufferedIn(buffered);
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    JsonNode data = Json.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (data == null || !data.isObject()) {
      throw malformedEvent();
    }
    String type = event.event() != null ? event.event() : data.path("type").asText();
    switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        id = message.path("id").asText("");
        model = message.path("model").asText("");
        // A start without usage reports nothing: the gateway counts the prompt rather than charge it as 0.
        reportedUsage = message.path("usage").isObject()
            ? StreamUsage.merge(Json.MAPPER.createObjectNode(), message.get("usage")) : null;
        usage = reportedUsage != null ? AnthropicAnswer.usage(reportedUsage, 0) : null;
        promptReported = reportedUsage != null && StreamUsage.promptReported(reportedUsage);
        // The start carries the prompt's usage, which an Anthropic client reads in its own message_start.
        sink.chunk(new ChatChunk(id, model, created, List.of(new ChatChunk.Start()), usage, false, false, null));
      }
      case "content_block_start" -> blockStart(data, event.data().length(), sink);
      case "content_block_delta" -> blockDelta(data, event.data().length(), sink);
      case "message_delta" -> {
        // The first stop reason stated stands: a later delta (one that only updates usage) does not take it back.
        String stopReason = data.path("delta").path("stop_reason").textValue();
        String stated = finishReason == null ? StopReasons.toNeutral(stopReason) : null;
        JsonNode reported = data.path("usage");
        if (reported.isObject()) {
          // The start's output_tokens is a placeholder; only a delta's states the output. The final delta counts
          // the searches of the whole message, the start none yet: the larger of each field holds both.
          outputReported |= StreamUsage.outputReported(reported);
          reportedUsage = StreamUsage.merge(reportedUsage != null ? reportedUsage : Json.MAPPER.createObjectNode(),
              reported);
          promptReported = StreamUsage.promptReported(reportedUsage);
          usage = AnthropicAnswer.usage(reportedUsage, 0);
        }
        if (stated != null) {
          finishReason = stated;
          sink.chunk(chunk(new ChatChunk.Finish(finishReason,
              StopReasons.stopSequence(stopReason, data.path("delta").path("stop_sequence")))));
        }
      }
      case "message_stop" -> {
        if (usage != null) {
          sink.chunk(new ChatChunk(id, model, created, List.of(), usage, true, false, null));
        }
        sink.complete();
      }
      case "error" ->
          sink.providerError(ErrorEventStatus.ofAnthropicType(data.path("error").path("type").asText()), event.data());
      case "content_block_stop" -> blockStop(data, sink);
      case "ping" -> signsOfWork += toolRuns.any() ? 1 : 0;
      default -> { } // event types added later
    }
  }

  private void blockStart(JsonNode data, int bytes, Sink sink) {
    JsonNode block = data.path("content_block");
    toolRuns.blockStarted(block);
    billed.append(block.path("text").asText("")).append(block.path("thinking").asText(""))
        .append(block.path("data").asText("")).append(block.path("name").asText(""));
    switch (block.path("type").asText()) {
      case "text" -> {
        String text = block.path("text").asText("");
        if (ItemBlocks.cited(block)) {
          items.start(data.path("index").asInt(), block, bytes);
        } else if (!text.isEmpty()) {
          sink.chunk(chunk(new ChatChunk.Text(text)));
        }
      }
      case "thinking" -> {
        String thinking = block.path("thinking").asText("");
        String signature = block.path("signature").asText("");
        if (!thinking.isEmpty() || !signature.isEmpty()) {
          sink.chunk(chunk(new ChatChunk.Reasoning(thinking, signature.isEmpty() ? null : signature, false)));
        }
      }
      case "redacted_thinking" -> sink.chunk(chunk(new ChatChunk.Reasoning(block.path("data").asText(""), null, true)));
      case "tool_use" -> {
        int index = toolByBlock.size();
        toolByBlock.put(data.path("index").asInt(), index);
        JsonNode input = block.path("input");
        inputUnsent.put(index, input.isObject() ? input.toString() : "{}");
        sink.chunk(chunk(new ChatChunk.ToolCall(index, block.path("id").asText(), block.path("name").asText())));
      }
      // Server tool blocks, later kinds: given back whole.
      default -> items.start(data.path("index").asInt(), block, bytes);
    }
  }

  private void blockDelta(JsonNode data, int bytes, Sink sink) {
    JsonNode delta = data.path("delta");
    billed.append(delta.path("text").asText("")).append(delta.path("partial_json").asText(""))
        .append(delta.path("thinking").asText(""));
    int block = data.path("index").asInt();
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        if (!items.text(block, delta.path("text").asText(""))) {
          sink.chunk(chunk(new ChatChunk.Text(delta.path("text").asText(""))));
        }
      }
      case "citations_delta" ->
          items.cite(block, delta.path("citation"), bytes).ifPresent(part -> sink.chunk(chunk(part)));
      case "thinking_delta" -> sink.chunk(chunk(new ChatChunk.Reasoning(delta.path("thinking").asText(""))));
      case "signature_delta" ->
          sink.chunk(chunk(new ChatChunk.Reasoning("", delta.path("signature").asText(""), false)));
      case "input_json_delta" -> {
        if (items.input(block, delta.path("partial_json").asText(""))) {
          return;
        }
        Integer index = toolByBlock.get(block);
        if (index == null) {
          throw malformedEvent();
        }
        String fragment = delta.path("partial_json").asText("");
        if (!fragment.isEmpty()) {
          inputUnsent.remove(index);
          sink.chunk(chunk(new ChatChunk.ToolArgs(index, fragment)));
        }
      }
      default -> { }
    }
  }

  /**
   * Ends a block. A tool_use block whose input came in no fragment (a tool without parameters: Anthropic sends one
   * empty {@code input_json_delta}) gets the input it started with, so its arguments read as JSON ({@code {}}),
   * as OpenAI streams them, never as an empty string.
   */
  private void blockStop(JsonNode data, Sink sink) {
    var item = items.stop(data.path("index").asInt());
    if (item.isPresent()) {
      sink.chunk(chunk(item.get()));
      return;
    }
    Integer index = toolByBlock.get(data.path("index").asInt());
    String input = index == null ? null : inputUnsent.remove(index);
    if (input != null) {
      sink.chunk(chunk(new ChatChunk.ToolArgs(index, input)));
    }
  }

  private ChatChunk chunk(ChatChunk.Part part) {
    return new ChatChunk(id, model, created, List.of(part), null, false, false, null);
  }
}
