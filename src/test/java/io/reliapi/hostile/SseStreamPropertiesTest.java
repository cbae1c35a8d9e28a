package io.reliapi.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile provider streams, fed through the real gateway from a mock provider: events split anywhere (inside
 * a UTF-8 character too), CR, LF and CRLF line ends mixed, invalid JSON, missing fields, error events, huge
 * lines, {@code [DONE]} early, late or missing, the connection cut. Each stream gets a complete answer or a
 * SPEC error (in the stream's own error event once it started), in time, with nothing leaked; and a valid
 * stream, however it is split, gets every piece of its text and a proper end.
 */
class SseStreamPropertiesTest {
  static HostileGateway gw;

  @BeforeContainer
  static void start() {
    gw = HostileGateway.start();
  }

  @AfterContainer
  static void stop() {
    try {
      gw.assertLogsSafe();
    } finally {
      gw.close();
    }
  }

  /**
   * One provider stream: its bytes cut into {@code parts}, whether it ends properly or the connection is cut,
   * and, for a valid one, the text it carries.
   */
  record Script(boolean anthropic, List<byte[]> parts, boolean reset, boolean valid, String text, String story) {
    @Override
    public String toString() {
      return story;
    }
  }

  @Property(tries = 70)
  void proxyLlmStreamsEndWithDoneOrAnErrorAndAValidStreamArrivesWhole(@ForAll("scripts") Script script) {
    String target = script.anthropic() ? "claude" : "openai";
    RawClient.Answer answer = run(script, "/proxy/llm", "{\"target\": \"" + target + "\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    Shapes.envelope(answer);
    if (script.valid()) {
      assertThat(Shapes.isEventStream(answer)).as("a stream for %s", script).isTrue();
      List<SseEvents.Event> events = Shapes.proxyEvents(answer);
      assertThat(events.getLast().name()).as("the end of %s", answer.text()).isEqualTo("done");
      StringBuilder text = new StringBuilder();
      events.stream().filter(e -> e.name().equals("chunk")).forEach(e -> text.append(e.json().get("delta").asText()));
      assertThat(text.toString()).isEqualTo(script.text());
    }
    gw.assertLogsSafe();
  }

  @Property(tries = 70)
  void openAiStreamsEndWithDoneOrAnErrorAndAValidStreamArrivesWhole(@ForAll("scripts") Script script) {
    String model = script.anthropic() ? "claude/claude-haiku-4-5" : "openai/gpt-4o-mini";
    RawClient.Answer answer = run(script, "/v1/chat/completions", "{\"model\": \"" + model + "\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    Shapes.openAi(answer);
    if (script.valid()) {
      assertThat(Shapes.isEventStream(answer)).as("a stream for %s", script).isTrue();
      List<SseEvents.Event> events = Shapes.openAiEvents(answer);
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      StringBuilder text = new StringBuilder();
      events.subList(0, events.size() - 1).forEach(e -> text.append(
          e.json().path("choices").path(0).path("delta").path("content").asText("")));
      assertThat(text.toString()).isEqualTo(script.text());
    }
    gw.assertLogsSafe();
  }

  private RawClient.Answer run(Script script, String route, String body) {
    gw.answerEverything();
    gw.up.script(script.anthropic() ? "POST /v1/messages" : "POST /v1/chat/completions", stream(script));
    RawClient.Answer answer = gw.post(route, body.getBytes(StandardCharsets.UTF_8), Map.of());
    gw.assertSafe(answer);
    return answer;
  }

  /** Writes the script's parts a millisecond apart, then ends the response or cuts the connection. */
  static Behavior stream(Script script) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      LlmBehaviors.sseHeaders().forEach(response::putHeader);
      write(call, response, script, 0);
    };
  }

  private static void write(io.reliapi.testing.MockUpstream.Call call, HttpServerResponse response, Script script,
      int index) {
    if (index == script.parts().size()) {
      if (script.reset()) {
        call.request().connection().close();
      } else {
        response.end();
      }
      return;
    }
    response.write(Buffer.buffer(script.parts().get(index)));
    call.vertx().setTimer(1, t -> write(call, response, script, index + 1));
  }

  @Provide
  Arbitrary<Script> scripts() {
    return Arbitraries.randomValue(SseStreamPropertiesTest::script);
  }

  /** Events that no provider should send, each alone a reason to fail the stream or to be skipped. */
  static final List<String> BAD_OPENAI = List.of("data: {\"choices\": [\n\n", "data: {}\n\n",
      "data: {\"choices\":[{}]}\n\n", "data: {\"choices\":null}\n\n", "data: {\"choices\":[{\"delta\":{\"content\":123}}]}\n\n",
      "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n", "data: [DONE]\n\n", "data:\n\n",
      ": keep-alive\n\n", "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n", "data: \"text\"\n\n",
      "data: {\"choices\":[{\"delta\":{\"content\":\"\\ud800\"}}]}\n\n", "retry: 10\n\n", "id: 7\n\n");
  static final List<String> BAD_ANTHROPIC = List.of("event: content_block_delta\ndata: {\"type\":\n\n",
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", "event: error\ndata: {\"type\":\"error\","
      + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", "data: {}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0}\n\n", "event: ping\n\n",
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":null}\n\n", ": comment\n\n");

  static Script script(Random random) {
    boolean anthropic = random.nextInt(3) == 0;
    List<String> pieces = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(5); i > 0; i--) {
      String piece = piece(random);
      pieces.add(JsonArbitraries.quote(piece).substring(1, JsonArbitraries.quote(piece).length() - 1));
      text.append(piece);
    }
    List<String> events = new ArrayList<>(anthropic
        ? LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", pieces, 5, 3)
        : LlmBehaviors.openAiStreamEvents("gpt-4o-mini", pieces, 5, 3));
    List<String> story = new ArrayList<>();
    boolean valid = true;
    int faults = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2);
    for (int f = 0; f < faults; f++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          List<String> bad = anthropic ? BAD_ANTHROPIC : BAD_OPENAI;
          int at = random.nextInt(events.size() + 1);
          String event = bad.get(random.nextInt(bad.size()));
          events.add(at, event);
          story.add("inserted at " + at + ": " + event.strip());
          valid &= event.startsWith(":") || event.startsWith("retry") || event.startsWith("id:")
              || event.startsWith("event: ping\ndata");
        }
        case 2 -> {
          int at = random.nextInt(events.size());
          story.add("removed " + at + ": " + events.remove(at).strip());
          valid = false;
        }
        case 3 -> {
          int at = random.nextInt(events.size() + 1);
          String huge = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(random.nextInt(4) == 0
              ? (1 << 20) + 10 : 100_000) + "\"}}]}\n\n";
          events.add(at, huge);
          story.add("a huge line (" + huge.length() + " bytes) at " + at);
          valid = false;
        }
        default -> {
          story.add("a cut connection");
          valid = false;
        }
      }
    }
    boolean reset = story.contains("a cut connection");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> ends = List.of("\n", "\r\n", "\r");
    for (String event : events) {
      String eol = ends.get(random.nextInt(3));
      bytes.writeBytes(event.replace("\n", eol).getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = bytes.toByteArray();
    List<byte[]> parts = new ArrayList<>();
    int cuts = 1 + random.nextInt(8);
    int from = 0;
    for (int c = 0; c < cuts && from < all.length; c++) {
      int to = c == cuts - 1 ? all.length : Math.min(all.length, from + 1 + random.nextInt(Math.max(1, all.length / cuts * 2)));
      parts.add(java.util.Arrays.copyOfRange(all, from, to));
      from = to;
    }
    if (from < all.length) {
      parts.add(java.util.Arrays.copyOfRange(all, from, all.length));
    }
    String described = (anthropic ? "anthropic" : "openai") + " stream of " + pieces.size() + " pieces in "
        + parts.size() + " parts" + (story.isEmpty() ? "" : ", " + String.join("; ", story));
    return new Script(anthropic, parts, reset, valid, text.toString(), described);
  }

  /** A piece of text: ASCII, accents, CJK, emoji (a surrogate pair), quotes and escapes, never a lone surrogate. */
  private static String piece(Random random) {
    String[] alphabet = {"a", "b", " ", "é", "漢", "😀", "\"", "\\", "\n", "\t", "\u2028", "<", "data: x", "\r"};
    StringBuilder piece = new StringBuilder();
    for (int i = 1 + random.nextInt(6); i > 0; i--) {
      piece.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return piece.toString();
  }
}
