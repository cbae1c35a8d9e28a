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
import io.reliapi.llm.Completion;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Messages API answer into the neutral result and its OpenAI {@code chat.completion} form: text
 * blocks joined, {@code tool_use} blocks as tool calls, thinking blocks (signed or redacted) as reasoning, the
 * stop reason in the neutral words, with the stop sequence it ended at. Server tool blocks (and kinds added later)
 * and cited text blocks are protocol items at their places, which only an Anthropic client is given back whole
 * (a cited block's text is in the answer's text too); so is a thinking block after another block (after a server
 * tool's result), kept in the reasoning for other clients too, so an Anthropic client gets it back in its place.
 */
final class AnthropicAnswer {
  private AnthropicAnswer() {}

  static ParsedAnswer read(byte[] bytes, long createdEpochS) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.path("content").isArray() || !root.path("usage").isObject()) {
      throw invalid();
    }
    StringBuilder text = new StringBuilder();
    StringBuilder billed = new StringBuilder();
    boolean anyText = false;
    ArrayNode calls = ChatJson.array();
    List<ChatChunk.Reasoning> reasoning = new ArrayList<>();
    List<ProtocolItems.Placed> items = new ArrayList<>();
    boolean afterOthers = false;
    for (JsonNode block : root.get("content")) {
      switch (block.path("type").asText()) {
        case "text" -> {
          if (ItemBlocks.cited(block) && !block.get("citations").isEmpty()) {
            items.add(item(text, block, block.path("text").asText("")));
          }
          text.append(block.path("text").asText(""));
          anyText = true;
        }
        case "tool_use" -> calls.add(toolCall(block));
        case "thinking", "redacted_thinking" -> {
          if (afterOthers) {
            items.add(item(text, block, "")); // thinking after another block: an Anthropic client gets it there
          }
          reasoning.add(thinking(block));
        }
        default -> items.add(item(text, block, "")); // server tool blocks, later kinds: given back whole
      }
      billed(block, billed);
      afterOthers |= !block.path("type").asText("").endsWith("thinking");
    }
    Completion result = new Completion(root.path("id").asText(""), root.path("model").asText(""),
        anyText || calls.isEmpty() ? text.toString() : null,
        calls.isEmpty() ? Optional.empty() : Optional.of(calls),
        StopReasons.toNeutral(root.path("stop_reason").textValue()),
        reported(root.get("usage")), null, reasoning, null,
        StopReasons.stopSequence(root.path("stop_reason").textValue(), root.path("stop_sequence")), items);
    return new ParsedAnswer(result, ChatCompletion.bytes(ChatCompletion.write(result, createdEpochS)),
        billed.toString());
  }

  private static ChatChunk.Reasoning thinking(JsonNode block) {
    return block.path("type").asText("").equals("redacted_thinking")
        ? new ChatChunk.Reasoning(block.path("data").asText(""), null, true)
        : new ChatChunk.Reasoning(block.path("thinking").asText(""), block.path("signature").textValue(), false);
  }

  /** The block as a protocol item, placed after the text so far; {@code text} is what other clients read of it. */
  private static ProtocolItems.Placed item(StringBuilder before, JsonNode block, String text) {
    return new ProtocolItems.Placed(before.length(),
        new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES, block.toString(), text));
  }

  /**
   * Appends what one content block adds to the billed output: its text, a tool call's name and input, the
   * model's thinking (visible or redacted).
   */
  static void billed(JsonNode block, StringBuilder out) {
    out.append(block.path("text").asText(""));
    out.append(block.path("thinking").asText(""));
    out.append(block.path("data").asText(""));
    if (block.has("name") && block.has("input")) {
      out.append(block.path("name").asText("")).append(block.get("input"));
    }
  }

  static ObjectNode toolCall(JsonNode toolUse) {
    ObjectNode call = ChatJson.object();
    call.put("id", toolUse.path("id").asText());
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", toolUse.path("name").asText());
    function.put("arguments", toolUse.path("input").isMissingNode() ? "{}" : toolUse.get("input").toString());
    return call;
  }

  /**
   * Returns the usage of a whole answer, or null (the gateway counts it) when it lacks either count: an empty
   * {@code usage} reports nothing, and is not an answer that cost nothing.
   */
  private static Usage reported(JsonNode usage) {
    boolean counts = usage.path("input_tokens").canConvertToLong() && usage.path("output_tokens").canConvertToLong();
    return counts ? usage(usage, 0) : null;
  }

  /**
   * Reads Anthropic's usage. Prompt tokens include cache writes and reads, which Anthropic reports apart from
   * {@code input_tokens}; they are kept as the usage's cache details, priced at the cache prices (writes kept for
   * an hour, {@code cache_creation.ephemeral_1h_input_tokens}, at their own). Web searches
   * run by the server tool ({@code server_tool_use.web_search_requests}) are billed per search.
   */
  static Usage usage(JsonNode usage, long outputFallback) {
    long written = usage.path("cache_creation_input_tokens").asLong(0);
    long read = usage.path("cache_read_input_tokens").asLong(0);
    long input = usage.path("input_tokens").asLong(0) + written + read;
    return Usage.reported(input, usage.path("output_tokens").asLong(outputFallback)).withCache(read, written)
        .withHourCacheWrites(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0))
        .withWebSearches(webSearches(usage));
  }

  /** Returns the web searches {@code usage} reports (0 when it reports none). */
  static long webSearches(JsonNode usage) {
    return usage.path("server_tool_use").path("web_search_requests").asLong(0);
  }

  static GatewayException invalid() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's answer could not be understood.");
  }
}
