package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestYaml;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LlmStreamingTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String MESSAGES = "POST /v1/messages";
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        stalling:
          base_url: "%1$s/v1"
          %2$s
          timeout_ms: 400
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
        metered:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  @BeforeAll
  static void start() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("warm"), 1, 1), 1));
    e2e.gw().http.post("/proxy/llm", proxy("openai"));
  }

  static String proxy(String target) {
    return "{\"target\": \"" + target + "\", \"stream\": true, \"messages\": " + HI + "}";
  }

  static String openAi(String model, boolean usage) {
    return "{\"model\": \"" + model + "\", \"stream\": true, \"messages\": " + HI
        + (usage ? ", \"stream_options\": {\"include_usage\": true}" : "") + "}";
  }

  @Test
  void proxyLlmStreamsMetaChunksAndDoneWithUsageAndCost() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 5));
    var r = e2e.gw().http.post("/proxy/llm", proxy("openai"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isNull();
    List<Event> events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).containsExactly("meta", "chunk", "chunk", "done");
    JsonNode meta = events.get(0).json();
    assertThat(meta.get("target").asText()).isEqualTo("openai");
    assertThat(meta.get("provider").asText()).isEqualTo("openai");
    assertThat(meta.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(meta.get("cost_usd").isNull()).isTrue();
    assertThat(events.get(1).json().get("delta").asText()).isEqualTo("Hel");
    assertThat(events.get(2).json().get("delta").asText()).isEqualTo("lo");
    JsonNode done = events.get(3).json();
    assertThat(done.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(done.get("usage").get("total_tokens").asInt()).isEqualTo(11);
    // 9 × 0.15 / 1M + 2 × 0.6 / 1M
    assertThat(done.get("cost_usd").decimalValue()).isEqualByComparingTo("0.00000255");

    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(e2e.up().last().header("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void v1StreamsChunksAndDoneAndPassesTheUsageChunkOnlyWhenAskedFor() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1));
    List<Event> plain = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", openAi("openai/gpt-4o-mini", false)).body());
    assertThat(plain.getLast().data()).isEqualTo("[DONE]");
    assertThat(plain).hasSize(5);
    assertThat(plain.get(1).json().get("choices").get(0).get("delta").get("content").asText()).isEqualTo("Hel");
    assertThat(plain.stream().map(Event::data)).noneMatch(d -> d.contains("\"choices\":[]"));

    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1));
    List<Event> withUsage = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", openAi("openai/gpt-4o-mini", true)).body());
    assertThat(withUsage).hasSize(6);
    assertThat(withUsage.get(4).json().get("usage").get("prompt_tokens").asInt()).isEqualTo(9);
    assertThat(withUsage.getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void aStreamThatBreaksEndsWithAnErrorEventAndNeverWithDone() {
    List<String> firstTwo = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2).subList(0, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(firstTwo, 5));
    RawHttp.Response raw = RawHttp.post(e2e.gw().port(), "/proxy/llm", proxy("openai"));
    assertThat(raw.complete()).as("the error event ends the answer").isTrue();
    List<Event> proxy = SseEvents.parse(raw.body());
    assertThat(SseEvents.names(proxy)).containsExactly("meta", "chunk", "error");
    assertThat(proxy.getLast().json().get("code").asText()).isEqualTo("NETWORK_ERROR");

    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(firstTwo, 5));
    RawHttp.Response cut = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", openAi("openai/gpt-4o-mini", false));
    assertThat(cut.complete()).as("the chunked body is cut off").isFalse();
    List<Event> v1 = SseEvents.parse(cut.body());
    assertThat(v1.stream().map(Event::data)).doesNotContain("[DONE]");
    JsonNode error = v1.getLast().json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(error.get("type").asText()).isEqualTo("upstream_error");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.get("target").asText()).as("the rest of the gateway's error object").isEqualTo("openai");
    assertThat(error.get("status_code").asInt()).isEqualTo(502);
    assertThat(error.has("retryable")).isTrue();
  }

  @Test
  void aStreamThatStallsPastTheTimeoutEndsWithATimeoutError() {
    List<String> firstTwo = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 9, 2).subList(0, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(firstTwo, 5));
    long start = System.nanoTime();
    List<Event> events = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("stalling")).body());
    long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertThat(SseEvents.names(events)).containsExactly("meta", "chunk", "error");
    assertThat(events.getLast().json().get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(tookMs).isBetween(400L, 3000L);
  }

  @Test
  void aMalformedChunkEndsTheStreamWithAnError() {
    List<String> events = new ArrayList<>(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 9, 2).subList(0, 2));
    events.add("data: {\"choices\": [{\"delta\": \n\n");
    events.add("data: [DONE]\n\n");
    e2e.up().script(CHAT, LlmBehaviors.sse(events, 1));
    List<Event> out = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("openai")).body());

    assertThat(SseEvents.names(out)).containsExactly("meta", "chunk", "error");
    assertThat(out.getLast().json().get("code").asText()).isEqualTo("UPSTREAM_INVALID_RESPONSE");
  }

  @Test
  void aStreamThatEndsWithoutAFinishReasonIsNotPresentedAsComplete() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up().script(CHAT, LlmBehaviors.sse(events.subList(0, 3), 1));
    RawHttp.Response raw = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", openAi("openai/gpt-4o-mini", false));
    List<Event> v1 = SseEvents.parse(raw.body());

    assertThat(raw.complete()).isFalse();
    assertThat(v1.stream().map(Event::data)).doesNotContain("[DONE]");
    assertThat(v1.getLast().json().get("error").get("code").asText()).isEqualTo("UPSTREAM_INVALID_RESPONSE");
  }

  @Test
  void aStreamThatEndsAfterItsFinishReasonWithoutDoneIsCompleteWithItsUsage() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
    List<String> withoutDone = events.subList(0, events.size() - 1);
    e2e.up().script(CHAT, LlmBehaviors.sse(withoutDone, 1));
    RawHttp.Response raw = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", openAi("openai/gpt-4o-mini", true));
    List<Event> v1 = SseEvents.parse(raw.body());

    assertThat(raw.complete()).as("the body ends properly").isTrue();
    assertThat(v1.getLast().data()).isEqualTo("[DONE]");
    assertThat(v1.get(v1.size() - 2).json().get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(v1.stream().map(Event::data)).noneMatch(d -> d.contains("\"error\""));

    e2e.up().script(CHAT, LlmBehaviors.sse(withoutDone.subList(0, withoutDone.size() - 1), 1));
    List<Event> proxy = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("openai")).body());
    assertThat(SseEvents.names(proxy)).containsExactly("meta", "chunk", "chunk", "done");
    assertThat(proxy.getLast().json().get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamStream() throws Exception {
    AtomicBoolean upstreamClosed = new AtomicBoolean();
    e2e.up().script(CHAT, LlmBehaviors.endlessOpenAiStream(upstreamClosed, 20));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(e2e.gw().http.url("/proxy/llm")))
        .POST(HttpRequest.BodyPublishers.ofString(proxy("openai"))).build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      byte[] first = body.readNBytes(200);
      assertThat(new String(first)).contains("event: meta");
    }
    client.close();

    await().atMost(Duration.ofSeconds(5)).until(upstreamClosed::get);
  }

  @Test
  void translatesAnAnthropicStreamIntoOpenAiChunksAndUnifiedEvents() {
    List<String> events = LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hel", "lo"), 25, 15);
    e2e.up().script(MESSAGES, LlmBehaviors.sse(events, 1));
    List<Event> v1 = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", openAi("claude/claude-haiku-4-5", true)).body());
    assertThat(v1.getFirst().json().get("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(v1.getFirst().json().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (Event e : v1.subList(0, v1.size() - 1)) {
      for (JsonNode choice : e.json().get("choices")) {
        text.append(choice.path("delta").path("content").asText(""));
        finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : finish;
      }
    }
    assertThat(text.toString()).isEqualTo("Hello");
    assertThat(finish).isEqualTo("stop");
    assertThat(v1.get(v1.size() - 2).json().get("usage").get("completion_tokens").asInt()).isEqualTo(15);
    assertThat(v1.getLast().data()).isEqualTo("[DONE]");

    e2e.up().script(MESSAGES, LlmBehaviors.sse(events, 1));
    List<Event> proxy = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("claude")).body());
    assertThat(SseEvents.names(proxy)).containsExactly("meta", "chunk", "chunk", "done");
    JsonNode done = proxy.getLast().json();
    assertThat(done.get("usage").get("prompt_tokens").asInt()).isEqualTo(25);
    // 25 × 1.0 / 1M + 15 × 5.0 / 1M (claude-haiku-4-5)
    assertThat(done.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0001");
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.has("stream_options")).isFalse();
  }

  @Test
  void aProviderErrorAsTheFirstEventIsAnOrdinaryErrorAnswerNotAStream() {
    e2e.up().script(MESSAGES, LlmBehaviors.sse(List.of(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), 1));
    var r = e2e.gw().http.post("/proxy/llm", proxy("claude"));

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(r.json().get("error").get("details").get("provider_error").get("type").asText())
        .isEqualTo("overloaded_error");

    // The same overload relayed by an OpenAI-protocol proxy is the same status.
    e2e.up().script(CHAT, LlmBehaviors.sse(List.of(
        "data: {\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), 1));
    assertThat(e2e.gw().http.post("/proxy/llm", proxy("openai")).status()).isEqualTo(529);
  }

  @Test
  void aProviderErrorInTheMiddleOfAStreamEndsItWithAnError() {
    List<String> events = new ArrayList<>(
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hel"), 25, 15).subList(0, 4));
    events.add("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    e2e.up().script(MESSAGES, LlmBehaviors.sse(events, 1));
    List<Event> out = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("claude")).body());

    assertThat(SseEvents.names(out)).containsExactly("meta", "chunk", "error");
    assertThat(out.getLast().json().get("code").asText()).isEqualTo("UPSTREAM_ERROR");
  }

  @Test
  void aProviderThatAnswersWholeToAStreamRequestIsStreamedToTheClient() {
    e2e.up().script(CHAT, Behavior.respond(200, Map.of("Content-Type", "application/json"),
        LlmBehaviors.openAiCompletion("gpt-4o-mini", "Whole answer", "stop", 9, 2)));
    List<Event> proxy = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("openai")).body());
    assertThat(SseEvents.names(proxy)).containsExactly("meta", "chunk", "done");
    assertThat(proxy.get(1).json().get("delta").asText()).isEqualTo("Whole answer");

    e2e.up().script(CHAT, Behavior.respond(200, Map.of("Content-Type", "application/json"),
        LlmBehaviors.openAiCompletion("gpt-4o-mini", "Whole answer", "stop", 9, 2)));
    List<Event> v1 = SseEvents.parse(e2e.gw().http.post("/v1/chat/completions", openAi("openai/gpt-4o-mini", true)).body());
    assertThat(v1.get(0).json().get("choices").get(0).get("delta").get("content").asText()).isEqualTo("Whole answer");
    assertThat(v1.get(1).json().get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(v1.get(2).json().get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(v1.getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void aBrokenStreamIsChargedForWhatItStreamed() {
    // message_start reports 1 output token; eight words were streamed before the connection broke.
    List<String> events = new ArrayList<>(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5",
        List.of("one two three four", " five six seven eight"), 25, 15).subList(0, 5));
    e2e.up().script(MESSAGES, LlmBehaviors.sseThenReset(events, 1));
    List<Event> out = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("metered")).body());
    assertThat(SseEvents.names(out)).containsExactly("meta", "chunk", "chunk", "error");

    String metrics = e2e.gw().http.get("/metrics").body();
    assertThat(metrics).contains("reliapi_llm_tokens_total{model=\"claude-haiku-4-5\",target=\"metered\",type=\"prompt\"} 25.0");
    assertThat(metrics).contains("reliapi_llm_tokens_total{model=\"claude-haiku-4-5\",target=\"metered\",type=\"completion\"} 8.0");
  }
}
