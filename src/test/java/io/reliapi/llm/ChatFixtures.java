package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds neutral requests from OpenAI-dialect JSON and records what decoders report, for adapter tests. */
public final class ChatFixtures {
  private ChatFixtures() {}

  public static JsonNode json(String text) {
    JsonNode node = Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
    if (node == null) {
      throw new AssertionError("not JSON: " + text);
    }
    return node;
  }

  /** A request with {@code messages} (a JSON list), {@code options} and {@code extra} (JSON objects). */
  public static ChatRequest request(String model, String messages, int maxTokens, boolean stream, String options,
      String extra) {
    return new ChatRequest(Optional.of(model), model, ChatMessages.parse(json(messages)), Optional.empty(), maxTokens,
        Optional.empty(), Optional.empty(), List.of(), stream, (ObjectNode) json(options), (ObjectNode) json(extra),
        Optional.empty());
  }

  /** The id the gateway gives a Gemini call, carrying its base64 thought signature (long, with {@code +/=}). */
  public static final String GEMINI_CALL_ID = "call_tTCwacuEBMvnitYP06qsgQY_0__thought__CiQB0e2Kb+/x9Q==";

  /**
   * A tool conversation: two calls, the first with {@link #GEMINI_CALL_ID} and the second {@code call_Kd8s}, then
   * their results (messages 2 and 3), in that order.
   */
  public static ChatRequest toolConversation(String model) {
    return request(model, """
        [{"role": "user", "content": "Time?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "%s", "type": "function", "function": {"name": "t", "arguments": "{}"}},
           {"id": "call_Kd8s", "type": "function", "function": {"name": "t", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "%1$s", "content": "12:00"},
         {"role": "tool", "tool_call_id": "call_Kd8s", "content": "13:00"}]""".formatted(GEMINI_CALL_ID), 10, false,
        "{}", "{}");
  }

  public static LlmConfig llm(LlmConfig.Provider provider, String version) {
    return new LlmConfig(provider, "m", 1024, Optional.empty(), Optional.empty(), 16, Optional.empty(), Map.of(),
        version);
  }

  public static JsonNode body(HttpCall call) {
    return Json.parseOrNull(((Body.Bytes) call.body()).bytes().getBytes());
  }

  /** Everything a decoder reported while reading some events. */
  public static final class Recorded implements StreamDecoder.Sink {
    public final List<ChatChunk> chunks = new ArrayList<>();
    public boolean complete;
    public Integer errorStatus;
    public String errorBody;

    @Override
    public void chunk(ChatChunk chunk) {
      chunks.add(chunk);
    }

    @Override
    public void complete() {
      complete = true;
    }

    @Override
    public void providerError(int status, String body) {
      errorStatus = status;
      errorBody = body;
    }

    public String text() {
      StringBuilder out = new StringBuilder();
      chunks.forEach(c -> out.append(c.text()));
      return out.toString();
    }
  }

  /** Feeds raw SSE text through a parser into {@code decoder}. */
  public static Recorded decode(StreamDecoder decoder, List<String> events) {
    Recorded recorded = new Recorded();
    SseParser parser = new SseParser(1 << 20, event -> decoder.decode(event, recorded));
    for (String event : events) {
      parser.feed(io.vertx.core.buffer.Buffer.buffer(event));
    }
    return recorded;
  }

  public static GatewayException failure(Runnable action) {
    try {
      action.run();
    } catch (GatewayException e) {
      return e;
    }
    throw new AssertionError("expected a GatewayException");
  }
}
