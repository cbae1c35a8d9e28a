package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.Completion;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the neutral answer in the Messages API's shapes: the {@code message} object, its content blocks
 * (thinking, text and the blocks given back whole in the provider's order, then tool use, as Anthropic orders them),
 * its stop reason and its usage.
 */
final class MessageJson {
  private MessageJson() {}

  /** Returns the whole {@code message} object of {@code completion}, an answer to a request with {@code asked}. */
  static ObjectNode message(Completion completion, List<String> asked) {
    ObjectNode message = head(completion.id(), completion.model());
    ArrayNode content = message.putArray("content");
    blocks(completion, content);
    if (refused(completion)) {
      content.add(text(completion.refusal()));
    }
    completion.toolCalls().ifPresent(calls -> calls.forEach(call -> content.add(toolUse(call))));
    stop(message, refused(completion), completion.finishReason(), completion.stopSequence(), asked);
    message.set("usage", usage(completion.usage()));
    return message;
  }

  /**
   * Adds the answer's thinking, text and Anthropic items in their order ({@link AnswerOrder}): the text between the
   * others as text blocks, each item as the block it is (another protocol's item as its text).
   */
  private static void blocks(Completion completion, ArrayNode content) {
    StringBuilder text = new StringBuilder();
    ArrayNode citations = ChatJson.array();
    for (ChatChunk.Part part : AnswerOrder.parts(completion)) {
      ObjectNode block = part instanceof ChatChunk.ProtocolItem item ? block(item)
          : part instanceof ChatChunk.Reasoning reasoning ? thinking(reasoning) : null;
      if (block == null) {
        text.append(part instanceof ChatChunk.ProtocolItem item ? item.text() : ((ChatChunk.Text) part).text());
      } else if (block.path("type").asText("").equals(BlockEvents.CITATION)) {
        citations.add(block.get("citation")); // cites the text before it, as a stream wrote it into that text's block
      } else {
        textBlock(content, text, citations);
        content.add(block);
      }
    }
    textBlock(content, text, citations);
  }

  /** Adds the text (and its citations) gathered since the last block, if any, and starts gathering anew. */
  private static void textBlock(ArrayNode content, StringBuilder text, ArrayNode citations) {
    if (text.isEmpty() && citations.isEmpty()) {
      return;
    }
    ObjectNode block = text(text.toString());
    if (!citations.isEmpty()) {
      block.set("citations", citations.deepCopy());
    }
    content.add(block);
    text.setLength(0);
    citations.removeAll();
  }

  /** Returns an Anthropic item's block; null for another protocol's item, which an Anthropic client never sees. */
  static ObjectNode block(ChatChunk.ProtocolItem item) {
    if (item.protocol() != WireProtocol.ANTHROPIC_MESSAGES) {
      return null;
    }
    return Json.parseOrNull(item.json().getBytes(StandardCharsets.UTF_8)) instanceof ObjectNode block ? block : null;
  }

  /**
   * Returns whether the model refused to answer (OpenAI's {@code refusal}): Anthropic says so with the stop reason
   * {@code refusal}, and the refusal's words are the message's text.
   */
  static boolean refused(Completion completion) {
    return completion.refusal() != null && !completion.refusal().isEmpty();
  }

  /** Returns a message without content, stop reason or usage yet: {@code message_start}'s. */
  static ObjectNode head(String id, String model) {
    ObjectNode message = ChatJson.object().put("id", id).put("type", "message").put("role", "assistant")
        .put("model", model);
    return message;
  }

  static ObjectNode text(String text) {
    return ChatJson.object().put("type", "text").put("text", text);
  }

  /** A thinking block; a redacted one carries its opaque data, an unsigned one an empty signature. */
  static ObjectNode thinking(ChatChunk.Reasoning reasoning) {
    if (reasoning.redacted()) {
      return ChatJson.object().put("type", "redacted_thinking").put("data", reasoning.text());
    }
    return ChatJson.object().put("type", "thinking").put("thinking", reasoning.text())
        .put("signature", reasoning.signature() == null ? "" : reasoning.signature());
  }

  /** A {@code tool_use} block for an OpenAI-shaped tool call; arguments that are not a JSON object become {}. */
  static ObjectNode toolUse(JsonNode call) {
    ObjectNode block = toolUseStart(call.path("id").asText(""), call.path("function").path("name").asText(""));
    block.set("input", input(call.path("function").path("arguments")));
    return block;
  }

  /**
   * A {@code tool_use} block as it starts in a stream, its input still empty. The model called the tool itself
   * ({@code caller} direct, which current Anthropic SDKs require).
   */
  static ObjectNode toolUseStart(String id, String name) {
    ObjectNode block = ChatJson.object().put("type", "tool_use").put("id", id).put("name", name);
    block.putObject("input");
    block.putObject("caller").put("type", "direct");
    return block;
  }

  static JsonNode input(JsonNode arguments) {
    if (arguments.isObject()) {
      return arguments;
    }
    JsonNode parsed = arguments.isTextual()
        ? Json.parseOrNull(arguments.asText().getBytes(StandardCharsets.UTF_8)) : null;
    return parsed != null && parsed.isObject() ? parsed : ChatJson.object();
  }

  /**
   * Writes why a message ended into {@code out} ({@code message}, or {@code message_delta}'s {@code delta}):
   * {@code stop_reason} and {@code stop_sequence}. A refusal is {@code refusal}; a stop at one of the request's stop
   * sequences ({@code asked}) {@code stop_sequence} with it. What an OpenAI-protocol server writes in a choice's
   * {@code stop_reason} is read as the matched sequence, but servers put other things there (a stop token's text,
   * a reason of their own), so anything the request did not ask to stop at is an ended turn.
   */
  static void stop(ObjectNode out, boolean refused, String finishReason, String stopSequence, List<String> asked) {
    boolean atSequence = !refused && "stop".equals(finishReason) && stopSequence != null && asked.contains(stopSequence);
    out.put("stop_reason", refused ? "refusal" : atSequence ? "stop_sequence" : stopReason(finishReason));
    out.put("stop_sequence", atSequence ? stopSequence : null);
  }

  /** Returns the stop reason for a neutral finish reason; an answer that gave none ended its turn. */
  static String stopReason(String finishReason) {
    return switch (finishReason == null ? "" : finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      case ChatCompletion.PAUSE_TURN -> ChatCompletion.PAUSE_TURN;
      default -> "end_turn";
    };
  }

  /**
   * Returns the usage object as Anthropic reports it: the prompt's tokens read from the provider's cache and
   * written to it apart, and {@code input_tokens} the rest of them (a client prices each at its own rate).
   */
  static ObjectNode usage(Usage usage) {
    Usage known = usage == null ? new Usage(0, 0, true) : usage;
    return ChatJson.object()
        .put("input_tokens", known.uncachedPromptTokens()) // never below 0: Usage keeps its parts within the prompt
        .put("cache_creation_input_tokens", known.cacheWriteTokens())
        .put("cache_read_input_tokens", known.cacheReadTokens())
        .put("output_tokens", known.completionTokens());
  }
}
