package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a Messages API stream ({@code message_start}, {@code content_block_start/delta/stop},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}) into OpenAI
 * {@code chat.completion.chunk} objects. The answer is complete only at {@code message_stop}; unknown event
 * types are skipped, as Anthropic asks of its clients.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
  private final long created;
  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  private final StringBuilder billed = new StringBuilder();
  private String id = "";
  private String model = "";
  private Usage usage;
  private String finishReason;

  AnthropicStreamDecoder(long createdEpochS) {
    this.created = createdEpochS;
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    JsonNode data = Json.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (data == null || !data.isObject()) {
      throw malformed();
    }
    String type = event.event() != null ? event.event() : data.path("type").asText();
    switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        id = message.path("id").asText("");
        model = message.path("model").asText("");
        usage = AnthropicAnswer.usage(message.path("usage"), 0);
        ObjectNode delta = ChatJson.object().put("role", "assistant").put("content", "");
        sink.chunk(chunk(delta, null, ""));
      }
      case "content_block_start" -> blockStart(data, sink);
      case "content_block_delta" -> blockDelta(data, sink);
      case "message_delta" -> {
        finishReason = StopReasons.toOpenAi(data.path("delta").path("stop_reason").textValue());
        JsonNode reported = data.path("usage");
        if (reported.isObject()) {
          long input = reported.has("input_tokens") ? AnthropicAnswer.usage(reported, 0).promptTokens()
              : usage == null ? 0 : usage.promptTokens();
          usage = Usage.reported(input, reported.path("output_tokens").asLong(0));
        }
        sink.chunk(chunk(ChatJson.object(), finishReason, ""));
      }
      case "message_stop" -> {
        if (usage != null) {
          ObjectNode last = base();
          last.putArray("choices");
          last.set("usage", ChatCompletion.usage(usage));
          sink.chunk(new ChatChunk(last.toString(), "", null, true));
        }
        sink.complete();
      }
      case "error" -> sink.providerError(StopReasons.status(data.path("error").path("type").asText()), event.data());
      default -> { } // ping, content_block_stop, and event types added later
    }
  }

  private void blockStart(JsonNode data, Sink sink) {
    JsonNode block = data.path("content_block");
    billed.append(block.path("text").asText("")).append(block.path("thinking").asText(""))
        .append(block.path("data").asText("")).append(block.path("name").asText(""));
    switch (block.path("type").asText()) {
      case "text" -> {
        String text = block.path("text").asText("");
        if (!text.isEmpty()) {
          sink.chunk(chunk(ChatJson.object().put("content", text), null, text));
        }
      }
      case "tool_use" -> {
        int index = toolByBlock.size();
        toolByBlock.put(data.path("index").asInt(), index);
        ObjectNode call = ChatJson.object().put("index", index).put("id", block.path("id").asText()).put("type", "function");
        call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
        sink.chunk(chunk(toolDelta(call), null, ""));
      }
      default -> { }
    }
  }

  private void blockDelta(JsonNode data, Sink sink) {
    JsonNode delta = data.path("delta");
    billed.append(delta.path("text").asText("")).append(delta.path("partial_json").asText(""))
        .append(delta.path("thinking").asText(""));
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        String text = delta.path("text").asText("");
        sink.chunk(chunk(ChatJson.object().put("content", text), null, text));
      }
      case "input_json_delta" -> {
        Integer index = toolByBlock.get(data.path("index").asInt());
        if (index == null) {
          throw malformed();
        }
        ObjectNode call = ChatJson.object().put("index", index);
        call.putObject("function").put("arguments", delta.path("partial_json").asText(""));
        sink.chunk(chunk(toolDelta(call), null, ""));
      }
      default -> { } // thinking, signatures and citations have no chat.completion.chunk equivalent
    }
  }

  private static ObjectNode toolDelta(ObjectNode call) {
    ObjectNode delta = ChatJson.object();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  private ChatChunk chunk(ObjectNode delta, String finish, String text) {
    ObjectNode root = base();
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
    return new ChatChunk(root.toString(), text, finish, false);
  }

  private ObjectNode base() {
    return ChatJson.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public String finishReason() {
    return finishReason;
  }

  @Override
  public String billedOutput() {
    return billed.toString();
  }

  private static GatewayException malformed() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The provider sent a malformed stream event.");
  }
}
