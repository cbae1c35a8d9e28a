package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.Usage;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes the Responses API's {@code response} object for one answer: its id, status, output items and usage,
 * and the request's settings echoed back as OpenAI does (with OpenAI's defaults where the client sent none;
 * the SDKs require {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}). {@code store} is always
 * false: the gateway keeps no responses.
 */
final class ResponseObject {
  private final JsonNode request;
  private final String id;
  private final long createdAt;

  /** The answer with {@code id} (see {@link #id}), created at {@code createdAt} (epoch s), to {@code request}. */
  ResponseObject(JsonNode request, String id, long createdAt) {
    this.request = request;
    this.id = id;
    this.createdAt = createdAt;
  }

  /**
   * Returns a response id for an answer the provider named {@code answerId}: the Responses API's own
   * ({@code resp_…}) as it is, any other prefixed with {@code resp_}; {@code fallback} when it has none.
   */
  static String id(String answerId, String fallback) {
    if (answerId != null && answerId.startsWith("resp_")) {
      return answerId;
    }
    String plain = answerId == null ? "" : answerId.replaceAll("[^A-Za-z0-9]", "");
    return "resp_" + (plain.isEmpty() ? fallback.replaceAll("[^A-Za-z0-9]", "") : plain);
  }

  String id() {
    return id;
  }

  /** The names of the request's custom (freeform) tools, whose calls are {@code custom_tool_call} items. */
  Set<String> customTools() {
    Set<String> names = new HashSet<>();
    for (JsonNode tool : request.path("tools")) {
      if (tool.path("type").asText("").equals("custom") && tool.path("name").isTextual()) {
        names.add(tool.get("name").asText());
      }
    }
    return names;
  }

  /** Returns the reason a response with this finish reason (OpenAI's chat words) is incomplete, or null. */
  static String incompleteReason(String finishReason) {
    if ("length".equals(finishReason)) {
      return "max_output_tokens";
    }
    return "content_filter".equals(finishReason) ? "content_filter" : null;
  }

  /** A response being generated: no output and no usage yet. */
  ObjectNode inProgress(String model) {
    return write(model, "in_progress", ChatJson.array(), null, null, null);
  }

  /** A finished answer: completed, or incomplete for {@code incompleteReason}. */
  ObjectNode finished(String model, ArrayNode output, Usage usage, String incompleteReason) {
    return write(model, incompleteReason == null ? "completed" : "incomplete", output, usage, incompleteReason, null);
  }

  /** A response that broke off with {@code error}, with the output it had produced. */
  ObjectNode failed(String model, ArrayNode output, GatewayException error) {
    return write(model, "failed", output, null, null, error);
  }

  private ObjectNode write(String model, String status, ArrayNode output, Usage usage, String incompleteReason,
      GatewayException error) {
    ObjectNode out = ChatJson.object().put("id", id).put("object", "response").put("created_at", createdAt)
        .put("status", status).put("background", false);
    if (error == null) {
      out.putNull("error");
    } else {
      out.putObject("error").put("code", error.code().name()).put("message", error.getMessage());
    }
    if (incompleteReason == null) {
      out.putNull("incomplete_details");
    } else {
      out.putObject("incomplete_details").put("reason", incompleteReason);
    }
    out.set("instructions", echo("instructions", null));
    out.set("max_output_tokens", echo("max_output_tokens", null));
    out.put("model", model);
    out.set("output", output);
    out.set("parallel_tool_calls", echo("parallel_tool_calls", ChatJson.object().booleanNode(true)));
    out.putNull("previous_response_id");
    out.set("reasoning", echo("reasoning", ChatJson.object().putNull("effort").putNull("summary")));
    out.put("store", false);
    out.set("temperature", echo("temperature", null));
    out.set("text", echo("text", ChatJson.object().set("format", ChatJson.object().put("type", "text"))));
    out.set("tool_choice", echo("tool_choice", ChatJson.object().textNode("auto")));
    out.set("tools", echo("tools", ChatJson.array()));
    out.set("top_p", echo("top_p", null));
    out.set("truncation", echo("truncation", ChatJson.object().textNode("disabled")));
    out.set("usage", usage == null ? null : usage(usage));
    out.set("user", echo("user", null));
    out.set("metadata", echo("metadata", ChatJson.object()));
    return out;
  }

  private JsonNode echo(String field, JsonNode fallback) {
    JsonNode value = request.get(field);
    return value != null && !value.isNull() ? value : fallback;
  }

  /** Writes usage in the Responses API's terms: cached input and reasoning output are parts of the two counts. */
  static ObjectNode usage(Usage usage) {
    ObjectNode out = ChatJson.object().put("input_tokens", usage.promptTokens());
    out.putObject("input_tokens_details").put("cached_tokens", usage.cacheReadTokens());
    out.put("output_tokens", usage.completionTokens());
    out.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    out.put("total_tokens", usage.totalTokens());
    return out;
  }
}
