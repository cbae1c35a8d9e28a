package io.reliapi.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a neutral {@link ChatChunk} as an OpenAI {@code chat.completion.chunk}, for OpenAI clients of providers
 * that speak another protocol: the role at the start, text as {@code content} (with the text of another protocol's
 * items, never the items), reasoning as
 * {@code reasoning_content}, a refusal as {@code refusal}, tool calls and their argument fragments under their
 * index, the finish reason, and the usage chunk (no choices) at the end.
 */
final class ChunkJson {
  private ChunkJson() {}

  static String write(ChatChunk chunk) {
    return write(chunk, false);
  }

  /**
   * Writes {@code chunk}; with {@code usageBeside}, a chunk with choices carries its usage too, as servers of
   * OpenAI's protocol that report usage in their last chunk (Mistral) write it.
   */
  static String write(ChatChunk chunk, boolean usageBeside) {
    ObjectNode root = ChatJson.object().put("id", chunk.id()).put("object", "chat.completion.chunk")
        .put("created", chunk.created()).put("model", chunk.model());
    ArrayNode choices = root.putArray("choices");
    if (chunk.usageOnly()) {
      if (chunk.usage() != null) {
        root.set("usage", ChatCompletion.usage(chunk.usage()));
      }
      return root.toString();
    }
    ObjectNode choice = choices.addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    StringBuilder text = null;
    StringBuilder reasoning = null;
    StringBuilder refusal = null;
    Map<Integer, ObjectNode> calls = new LinkedHashMap<>();
    ChatChunk.Finish finish = null;
    for (ChatChunk.Part part : chunk.parts()) {
      switch (part) {
        case ChatChunk.Start start -> delta.put("role", "assistant").put("content", "");
        case ChatChunk.Text t -> text = (text == null ? new StringBuilder() : text).append(t.text());
        case ChatChunk.ProtocolItem item -> { // another protocol's item: an OpenAI client reads only its text
          if (!item.text().isEmpty()) {
            text = (text == null ? new StringBuilder() : text).append(item.text());
          }
        }
        case ChatChunk.Reasoning r -> {
          if (!r.redacted() && !r.text().isEmpty()) {
            reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(r.text());
          }
        }
        case ChatChunk.Refusal r -> refusal = (refusal == null ? new StringBuilder() : refusal).append(r.text());
        case ChatChunk.ToolCall call -> {
          ObjectNode node = ChatJson.object().put("index", call.index()).put("id", call.id()).put("type", "function");
          node.putObject("function").put("name", call.name()).put("arguments", "");
          calls.put(call.index(), node);
        }
        case ChatChunk.ToolArgs args -> {
          ObjectNode node = calls.computeIfAbsent(args.index(), i -> {
            ObjectNode fresh = ChatJson.object().put("index", i);
            fresh.putObject("function");
            return fresh;
          });
          ObjectNode function = (ObjectNode) node.get("function");
          function.put("arguments", function.path("arguments").asText("") + args.fragment());
        }
        case ChatChunk.Finish f -> finish = f;
      }
    }
    if (text != null) {
      delta.put("content", text.toString());
    }
    if (reasoning != null) {
      delta.put("reasoning_content", reasoning.toString());
    }
    if (refusal != null) {
      delta.put("refusal", refusal.toString());
    }
    if (!calls.isEmpty()) {
      ArrayNode out = delta.putArray("tool_calls");
      calls.values().forEach(out::add);
    }
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      ChatCompletion.finish(choice, finish.reason(), finish.stopSequence());
    }
    if (usageBeside && chunk.usage() != null) {
      root.set("usage", ChatCompletion.usage(chunk.usage()));
    }
    return root.toString();
  }
}
