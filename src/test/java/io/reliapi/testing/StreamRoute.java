package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The gateway's streaming LLM routes as a client reads them: {@code /v1/chat/completions} (OpenAI chunks),
 * {@code /proxy/llm} (named events) and the raw route {@code /t/{target}/chat/completions} (the OpenAI-protocol
 * provider's own chunks). Each call goes over a plain socket, so a cut body is seen as cut.
 */
public enum StreamRoute {
  V1, PROXY_LLM, RAW, ANTHROPIC, RESPONSES;

  static final String MESSAGES = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  /** What a client made of one streamed answer. */
  public record Streamed(int status, String text, String error, boolean finished, boolean bodyComplete,
      List<SseEvents.Event> events, String body) {

    /** Returns whether the client got a whole answer: finished, no error, the body ended properly. */
    public boolean whole() {
      return status == 200 && finished && error == null && bodyComplete;
    }

    /**
     * Returns how many events carried the start of the assistant's turn (OpenAI's role chunk, {@code meta},
     * {@code message_start}, {@code response.created}).
     */
    public long starts() {
      long protocolStarts = events.stream()
          .filter(e -> "message_start".equals(e.name()) || "response.created".equals(e.name())).count();
      if (protocolStarts > 0) {
        return protocolStarts;
      }
      return events.stream().filter(e -> e.data().contains("\"role\"") || "meta".equals(e.name())).count();
    }
  }

  /** Streams one chat to {@code target} through this route; {@code headers} are names and values in turn. */
  public Streamed call(GatewayHarness gateway, String target, String... headers) {
    return read(RawHttp.post(gateway.port(), path(target), body(target), headers));
  }

  /** Sends one chat to {@code target} and leaves the answer to be read as it comes ({@link PendingStream}). */
  public PendingStream open(GatewayHarness gateway, String target) {
    return new PendingStream(this, gateway.port(), path(target), body(target));
  }

  /**
   * Sends one chat to {@code target} from a client whose receive buffer is 4 KiB, the answer left to be read as it
   * comes: what it does not read backs up into the gateway at once.
   */
  public PendingStream openUnread(GatewayHarness gateway, String target) {
    return new PendingStream(this, 4096, gateway.port(), path(target), body(target));
  }

  /** Sends one chat to {@code target} with {@code key} as its Idempotency-Key, the answer left to be read as it comes. */
  public PendingStream openKeyed(GatewayHarness gateway, String target, String key) {
    return new PendingStream(this, gateway.port(), path(target), body(target), "Idempotency-Key", key);
  }

  /**
   * Sends {@code json} to {@code path} and leaves the answer to be read as this route's answers are (a raw route
   * to a target of another protocol, say).
   */
  public PendingStream open(GatewayHarness gateway, String path, String json) {
    return new PendingStream(this, gateway.port(), path, json);
  }

  public String body(String target) {
    return switch (this) {
      case V1 -> "{\"model\": \"" + target + "/gpt-4o-mini\", \"stream\": true, \"messages\": " + MESSAGES + "}";
      case PROXY_LLM -> "{\"target\": \"" + target + "\", \"stream\": true, \"messages\": " + MESSAGES + "}";
      case RAW -> "{\"model\": \"gpt-4o-mini\", \"stream\": true, \"messages\": " + MESSAGES + "}";
      case ANTHROPIC -> "{\"model\": \"" + target + "/gpt-4o-mini\", \"max_tokens\": 100, \"stream\": true, "
          + "\"messages\": " + MESSAGES + "}";
      case RESPONSES -> "{\"model\": \"" + target + "/gpt-4o-mini\", \"stream\": true, \"input\": \"Hi\"}";
    };
  }

  public String path(String target) {
    return switch (this) {
      case V1 -> "/v1/chat/completions";
      case PROXY_LLM -> "/proxy/llm";
      case RAW -> "/t/" + target + "/chat/completions";
      case ANTHROPIC -> "/v1/messages";
      case RESPONSES -> "/v1/responses";
    };
  }

  /** What a client makes of {@code response}, an answer of this route. */
  Streamed read(RawHttp.Response response) {
    List<SseEvents.Event> events = SseEvents.parse(response.body());
    StringBuilder text = new StringBuilder();
    String error = response.status() == 200 ? null : response.body();
    boolean finished = false;
    for (SseEvents.Event event : events) {
      if (this == ANTHROPIC || this == RESPONSES) {
        JsonNode data = event.json();
        switch (String.valueOf(event.name())) {
          case "content_block_delta" -> text.append(data.path("delta").path("text").asText(""));
          case "response.output_text.delta" -> text.append(data.path("delta").asText(""));
          case "message_stop", "response.completed" -> finished = true;
          case "error", "response.failed" -> error = error != null ? error : event.data();
          default -> { }
        }
        continue;
      }
      if (this == PROXY_LLM) {
        switch (String.valueOf(event.name())) {
          case "chunk" -> text.append(event.json().get("delta").asText());
          case "done" -> finished = true;
          case "error" -> error = event.data();
          default -> { }
        }
        continue;
      }
      if (event.data().equals("[DONE]")) {
        finished = true;
        continue;
      }
      JsonNode chunk = event.json();
      if (chunk.has("error")) {
        error = event.data();
      }
      for (JsonNode choice : chunk.path("choices")) {
        text.append(choice.path("delta").path("content").asText(""));
      }
    }
    return new Streamed(response.status(), text.toString(), error, finished, response.complete(), events,
        response.body());
  }
}
