package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.OutputText;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.Usage;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Chat Completions stream: {@code data:} events holding {@code chat.completion.chunk} objects, the
 * usage chunk (no choices) when asked for, and {@code data: [DONE]}, without which the answer is incomplete.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private final Dialect dialect;
  private final StringBuilder billed = new StringBuilder();
  private Usage usage;
  private String finishReason;

  OpenAiStreamDecoder(Dialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void decode(SseEvent event, Sink sink) {
    String data = event.data();
    if (data.strip().equals("[DONE]")) {
      sink.complete();
      return;
    }
    JsonNode root = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
    if (root == null || !root.isObject()) {
      throw ChatCompletionErrors.malformedChunk();
    }
    if (root.path("error").isObject()) {
      sink.providerError(statusOf(root.get("error")), data);
      return;
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray()) {
      throw ChatCompletionErrors.malformedChunk();
    }
    boolean changed = false;
    for (JsonNode choice : choices) {
      if (!choice.isObject()) {
        throw ChatCompletionErrors.malformedChunk();
      }
      changed |= dialect.normalizeChoice((ObjectNode) choice, "delta");
      OutputText.appendOpenAi(choice.path("delta"), billed);
    }
    Usage reported = ChatCompletion.usage(root.path("usage"));
    if (reported != null) {
      usage = reported;
    }
    JsonNode first = choices.path(0);
    String text = first.path("delta").path("content").isTextual() ? first.path("delta").get("content").asText() : "";
    String finish = first.path("finish_reason").isTextual() ? first.get("finish_reason").asText() : null;
    if (finish != null) {
      finishReason = finish;
    }
    String json = changed ? root.toString() : data;
    sink.chunk(new ChatChunk(json, text, finish, choices.isEmpty() && reported != null));
  }

  /**
   * Returns whether {@code event} is the usage chunk: no choices, only the usage of the whole stream. Only an
   * event whose {@code choices} is written as an empty list is parsed, so the other chunks cost a text scan.
   */
  static boolean isUsageOnly(SseEvent event) {
    String data = event.data();
    int choices = data.indexOf("\"choices\"");
    if (choices < 0 || !emptyListAt(data, choices + "\"choices\"".length())) {
      return false;
    }
    JsonNode root = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
    return root != null && root.path("choices").isArray() && root.get("choices").isEmpty()
        && root.path("usage").isObject();
  }

  /** Returns whether {@code text} continues at {@code from} with {@code : []} (whitespace allowed). */
  private static boolean emptyListAt(String text, int from) {
    int i = from;
    for (char expected : new char[] {':', '[', ']'}) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= text.length() || text.charAt(i++) != expected) {
        return false;
      }
    }
    return true;
  }

  /** Maps an error sent inside a stream to the HTTP status it would have had. */
  private static int statusOf(JsonNode error) {
    String kind = (error.path("type").asText("") + " " + error.path("code").asText("")).toLowerCase();
    if (kind.contains("rate_limit") || kind.contains("tokens") || kind.contains("requests")) {
      return 429;
    }
    if (kind.contains("overloaded")) {
      return 503;
    }
    return 500;
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
}
