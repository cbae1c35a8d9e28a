package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.ToolArguments;
import io.reliapi.llm.ToolCallIdFit;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a neutral request into a Messages API body: system and developer messages are lifted into
 * {@code system}; tool results become {@code tool_result} blocks of a user turn; assistant tool calls become
 * {@code tool_use} blocks; images become {@code image} blocks; consecutive turns of one role are merged.
 * OpenAI-dialect options are translated by {@link AnthropicOptions}; {@code extra} is merged as it is.
 */
final class AnthropicRequest {
  private static final double MAX_TEMPERATURE = 1.0;

  private AnthropicRequest() {}

  static ObjectNode body(ChatRequest request, LlmConfig.StructuredOutputs structuredOutputs) {
    ObjectNode body = ChatJson.object();
    body.put("model", request.model());
    body.put("max_tokens", request.maxTokens());
    system(request.messages(), body);
    body.set("messages", messages(request.messages()));
    // OpenAI's temperature goes to 2, Anthropic's only to 1 (above it a 400): its most random is the closest.
    request.temperature().ifPresent(t -> body.put("temperature", Math.min(t, MAX_TEMPERATURE)));
    request.topP().ifPresent(p -> body.put("top_p", p));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    AnthropicOptions.translate(request.options(), structuredOutputs, body);
    request.extra().properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    ThinkingBudget.fit(body, request.requestedMaxTokens());
    return body;
  }

  private static void system(List<ChatMessage> messages, ObjectNode body) {
    ArrayNode blocks = ChatJson.array();
    boolean plain = true;
    for (ChatMessage message : messages) {
      if (message.isSystem() && message.content().isPresent()) {
        ArrayNode own = blocks(message.content().get());
        for (JsonNode block : own) {
          plain &= block.path("type").asText().equals("text") && block.size() == 2;
          blocks.add(block);
        }
      }
    }
    if (blocks.isEmpty()) {
      return;
    }
    if (plain) {
      List<String> texts = new ArrayList<>();
      blocks.forEach(b -> texts.add(b.get("text").asText()));
      body.put("system", String.join("\n\n", texts));
    } else {
      body.set("system", blocks);
    }
  }

  private static ArrayNode messages(List<ChatMessage> messages) {
    ArrayNode out = ChatJson.array();
    ObjectNode last = null;
    for (ChatMessage message : messages) {
      if (message.isSystem()) {
        continue;
      }
      String role = message.role().equals("assistant") ? "assistant" : "user";
      ArrayNode blocks = switch (message.role()) {
        case "assistant" -> assistant(message);
        case "tool" -> toolResult(message);
        default -> message.content().map(AnthropicRequest::blocks).orElseGet(ChatJson::array);
      };
      if (last != null && last.get("role").asText().equals(role)) {
        ((ArrayNode) asBlocks(last)).addAll(blocks);
        continue;
      }
      last = out.addObject();
      last.put("role", role);
      boolean plainText = message.content().orElse(null) instanceof Content.Text && blocks.size() == 1
          && !message.role().equals("tool");
      if (plainText) {
        last.set("content", blocks.get(0).get("text"));
      } else {
        last.set("content", blocks);
      }
    }
    return out;
  }

  /** Turns a message's string content into a block list, so another turn can be merged into it. */
  private static JsonNode asBlocks(ObjectNode message) {
    JsonNode content = message.get("content");
    if (content.isTextual()) {
      ArrayNode blocks = ChatJson.array();
      blocks.addObject().put("type", "text").put("text", content.asText());
      message.set("content", blocks);
      return blocks;
    }
    return content;
  }

  private static ArrayNode assistant(ChatMessage message) {
    ArrayNode blocks = message.content().map(AnthropicRequest::blocks).orElseGet(ChatJson::array);
    blocks.removeIf(b -> b.path("type").asText().equals("text") && b.path("text").asText().isEmpty());
    message.toolCalls().ifPresent(calls -> {
      for (JsonNode call : calls) {
        ObjectNode use = blocks.addObject();
        use.put("type", "tool_use");
        use.put("id", ToolCallIdFit.ANTHROPIC.of(call.path("id").asText()));
        use.put("name", call.path("function").path("name").asText());
        use.set("input", ToolArguments.object(call.path("function").path("arguments")));
      }
    });
    return blocks;
  }

  private static ArrayNode toolResult(ChatMessage message) {
    ArrayNode blocks = ChatJson.array();
    ObjectNode result = blocks.addObject();
    result.put("type", "tool_result");
    result.put("tool_use_id", ToolCallIdFit.ANTHROPIC.of(message.toolCallId().orElse("")));
    if (message.content().isPresent()) {
      // Anthropic refuses an empty text block (a tool that returned nothing, or only an image, which follows).
      ArrayNode own = blocks(message.content().get());
      own.removeIf(b -> b.path("type").asText().equals("text") && b.path("text").asText().isEmpty());
      if (!own.isEmpty()) {
        result.set("content", own);
      }
    }
    return blocks;
  }

  private static ArrayNode blocks(Content content) {
    ArrayNode blocks = ChatJson.array();
    switch (content) {
      case Content.Text text -> blocks.addObject().put("type", "text").put("text", text.text());
      case Content.Parts parts -> parts.parts().forEach(part -> blocks.add(block(part)));
    }
    return blocks;
  }

  private static JsonNode block(ContentPart part) {
    return switch (part) {
      case ContentPart.Text text -> ChatJson.object().put("type", "text").put("text", text.text());
      case ContentPart.Image image -> image(image.url());
      case ContentPart.Other other -> other.raw();
    };
  }

  private static ObjectNode image(String url) {
    ObjectNode block = ChatJson.object().put("type", "image");
    ObjectNode source = block.putObject("source");
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      source.put("type", "base64");
      source.put("media_type", url.substring(5, comma - ";base64".length()));
      source.put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url");
      source.put("url", url);
    }
    return block;
  }
}
