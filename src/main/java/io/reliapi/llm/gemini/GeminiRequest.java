package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.ToolArguments;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a neutral request into a {@code generateContent} body: system and developer messages become the
 * {@code systemInstruction}; user turns {@code user} contents, assistant turns {@code model} contents (tool calls
 * as {@code functionCall} parts, with the thought signature their id carries); tool results {@code
 * functionResponse} parts named after the call they answer, grouped in one user turn; consecutive turns of one
 * role merged. Sampling, the output limit and stop sequences go in {@code generationConfig}; OpenAI options by
 * {@link GeminiOptions}; {@code extra} is merged as it is ({@code generationConfig}, or {@code generation_config},
 * key by key).
 */
final class GeminiRequest {
  private static final Set<String> GENERATION_CONFIG = Set.of("generationConfig", "generation_config");

  private GeminiRequest() {}

  static ObjectNode body(ChatRequest request) {
    ObjectNode body = ChatJson.object();
    body.set("contents", contents(request.messages()));
    systemInstruction(request.messages(), body);
    ObjectNode config = body.putObject("generationConfig");
    config.put("maxOutputTokens", request.maxTokens());
    request.temperature().ifPresent(t -> config.put("temperature", t));
    request.topP().ifPresent(p -> config.put("topP", p));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      request.stop().forEach(stop::add);
    }
    GeminiOptions.translate(request.options(), body, config);
    request.extra().properties().forEach(e -> {
      // Gemini reads either spelling as the one config: both merge into the one that carries the capped limit.
      if (GENERATION_CONFIG.contains(e.getKey()) && e.getValue().isObject()) {
        e.getValue().properties().forEach(c -> config.set(c.getKey(), c.getValue()));
      } else {
        body.set(e.getKey(), e.getValue());
      }
    });
    return body;
  }

  /** Returns the body of a {@code countTokens} call: the contents, system instruction and tools of the request. */
  static ObjectNode countTokensBody(ChatRequest request, String modelName) {
    ObjectNode generate = body(request);
    generate.remove("generationConfig");
    generate.put("model", modelName);
    ObjectNode out = ChatJson.object();
    out.set("generateContentRequest", generate);
    return out;
  }

  private static void systemInstruction(List<ChatMessage> messages, ObjectNode body) {
    ArrayNode parts = ChatJson.array();
    for (ChatMessage message : messages) {
      if (message.isSystem()) {
        message.content().ifPresent(content -> parts.addAll(parts(content)));
      }
    }
    if (!parts.isEmpty()) {
      body.putObject("systemInstruction").set("parts", parts);
    }
  }

  private static ArrayNode contents(List<ChatMessage> messages) {
    Map<String, String> toolNames = new HashMap<>();
    ArrayNode out = ChatJson.array();
    ObjectNode last = null;
    for (ChatMessage message : messages) {
      if (message.isSystem()) {
        continue;
      }
      String role = message.role().equals("assistant") ? "model" : "user";
      ArrayNode parts = switch (message.role()) {
        case "assistant" -> model(message, toolNames);
        case "tool" -> functionResponse(message, toolNames);
        default -> message.content().map(GeminiRequest::parts).orElseGet(ChatJson::array);
      };
      if (parts.isEmpty()) {
        continue;
      }
      if (last != null && last.get("role").asText().equals(role)) {
        ((ArrayNode) last.get("parts")).addAll(parts);
        continue;
      }
      last = out.addObject();
      last.put("role", role);
      last.set("parts", parts);
    }
    return out;
  }

  private static ArrayNode model(ChatMessage message, Map<String, String> toolNames) {
    ArrayNode parts = message.content().map(GeminiRequest::parts).orElseGet(ChatJson::array);
    parts.removeIf(p -> p.path("text").isTextual() && p.size() == 1 && p.get("text").asText().isEmpty());
    message.toolCalls().ifPresent(calls -> {
      for (JsonNode call : calls) {
        String id = call.path("id").asText("");
        String name = call.path("function").path("name").asText("");
        toolNames.put(id, name);
        ObjectNode part = parts.addObject();
        ObjectNode functionCall = part.putObject("functionCall");
        functionCall.put("name", name);
        functionCall.set("args", ToolArguments.object(call.path("function").path("arguments")));
        ToolCallIds.signature(id).ifPresent(signature -> part.put("thoughtSignature", signature));
      }
    });
    return parts;
  }

  /** A tool result, named after the call it answers (Gemini matches results to calls by name and order). */
  private static ArrayNode functionResponse(ChatMessage message, Map<String, String> toolNames) {
    String id = message.toolCallId().orElse("");
    String name = toolNames.getOrDefault(id, message.name().orElse(""));
    ArrayNode parts = ChatJson.array();
    ObjectNode response = parts.addObject().putObject("functionResponse");
    response.put("name", name);
    response.putObject("response").put("content", message.content().map(Content::text).orElse(""));
    return parts;
  }

  private static ArrayNode parts(Content content) {
    ArrayNode parts = ChatJson.array();
    switch (content) {
      case Content.Text text -> parts.addObject().put("text", text.text());
      case Content.Parts list -> list.parts().forEach(part -> parts.add(part(part)));
    }
    return parts;
  }

  private static JsonNode part(ContentPart part) {
    return switch (part) {
      case ContentPart.Text text -> ChatJson.object().put("text", text.text());
      case ContentPart.Image image -> GeminiMedia.part(image.url());
      case ContentPart.Other other -> GeminiMedia.other(other.raw());
    };
  }
}
