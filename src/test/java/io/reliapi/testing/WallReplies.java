package io.reliapi.testing;

import io.reliapi.time.Clock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bytes the {@link FaultWall} writes, by hand: response heads, JSON answers, chunks and chat objects. */
final class WallReplies {
  private static final Map<Integer, String> REASONS = Map.of(200, "OK", 400, "Bad Request", 401, "Unauthorized",
      404, "Not Found", 429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway",
      503, "Service Unavailable");

  private WallReplies() {}

  static Buffer head(int status, Map<String, String> headers, boolean keepAlive) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(Instant.ofEpochMilli(Clock.system().epochMillis()), ZoneOffset.UTC)));
    all.put("Server", "reliapi-fault-wall");
    all.put("Connection", keepAlive ? "keep-alive" : "close");
    all.putAll(headers);
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
        .append(REASONS.getOrDefault(status, "OK")).append("\r\n");
    all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return Buffer.buffer(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A whole JSON answer with its {@code Content-Length}. */
  static Buffer json(int status, JsonObject body, boolean keepAlive, Map<String, String> extra) {
    Buffer bytes = body.toBuffer();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Content-Length", Integer.toString(bytes.length()));
    headers.putAll(extra);
    return head(status, headers, keepAlive).appendBuffer(bytes);
  }

  /** OpenAI's error object: {@code {"error": {"message", "type", "param", "code"}}}. */
  static JsonObject error(String message, String type, String code, String param) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
        .put("param", param).put("code", code));
  }

  /** {@code data} framed as one HTTP chunk. */
  static Buffer chunk(Buffer data) {
    return Buffer.buffer(Integer.toHexString(data.length()) + "\r\n").appendBuffer(data).appendString("\r\n");
  }

  /** One SSE event holding {@code json}, framed as one HTTP chunk. */
  static Buffer event(JsonObject json) {
    return chunk(Buffer.buffer("data: " + json.encode() + "\n\n"));
  }

  static Buffer event(String raw) {
    return chunk(Buffer.buffer(raw));
  }

  /** The terminating chunk of a chunked body. */
  static Buffer lastChunk() {
    return Buffer.buffer("0\r\n\r\n");
  }

  static JsonObject completion(String id, String model, String text, int promptTokens, int words) {
    return new JsonObject().put("id", id).put("object", "chat.completion").put("created", nowEpochS())
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", text))
            .put("finish_reason", "stop")))
        .put("usage", usage(promptTokens, words));
  }

  static JsonObject streamChunk(String id, long created, String model, JsonObject delta, String finishReason) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", delta).put("finish_reason", finishReason)));
  }

  static JsonObject usageChunk(String id, long created, String model, int promptTokens, int sent) {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model).put("choices", new JsonArray()).put("usage", usage(promptTokens, sent));
  }

  static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  static long nowEpochS() {
    return Clock.system().epochMillis() / 1000;
  }
}
