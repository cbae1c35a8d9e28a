package io.reliapi.server;

import static io.reliapi.server.StreamCutsAcrossProtocolsEndToEndTest.providerPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A provider stream reset after its finish reason, the next event half written (OpenAI's usage chunk, Anthropic's
 * {@code message_stop}): the answer was whole, so every translating route ends it as whole, in every commit mode,
 * without asking the provider again (it billed the answer once); the missing usage is counted, the request is a
 * success and its trail says what happened. The same reset before the finish is still a cut: a {@code complete}
 * stream is retried, unseen.
 */
class StreamCutAfterFinishEndToEndTest {
  static final List<String> CLAUDE = StreamCutsAcrossProtocolsEndToEndTest.CLAUDE;
  static final List<String> GPT = StreamCutsAcrossProtocolsEndToEndTest.GPT;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        gpt:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3}}
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini}
        slow:
          base_url: "%1$s/v1"
          stream_max_s: 1.5
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())));

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Arguments targetAndRoute : StreamCutsAcrossProtocolsEndToEndTest.targetsAndRoutes()) {
      for (String mode : List.of("first_token", "complete")) {
        cases.add(Arguments.of(targetAndRoute.get()[0], targetAndRoute.get()[1], mode));
      }
    }
    return cases;
  }

  /** Everything up to the finish (Anthropic's message_delta, OpenAI's finish chunk), then half the next event. */
  static List<String> finishThenHalfAnEvent(String target) {
    List<String> events = new ArrayList<>(target.equals("claude") ? CLAUDE.subList(0, CLAUDE.size() - 1)
        : GPT.subList(0, GPT.size() - 2));
    events.add(target.equals("claude") ? "event: message_stop\ndata: {\"ty" : "data: {\"choices\":[],\"us");
    return events;
  }

  /** Everything before the finish. */
  static List<String> beforeTheFinish(String target) {
    return target.equals("claude") ? CLAUDE.subList(0, CLAUDE.size() - 3) : GPT.subList(0, GPT.size() - 3);
  }

  static double metric(String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  @ParameterizedTest(name = "{0} behind {1}, {2}")
  @MethodSource("cases")
  void aResetAfterTheFinishEndsTheAnswerWholeNeverAskedAgainItsUsageCounted(String target, StreamRoute route,
      String mode) {
    e2e.up().script("POST " + providerPath(target), LlmBehaviors.sseThenReset(finishThenHalfAnEvent(target), 1),
        LlmBehaviors.sse(target.equals("claude") ? CLAUDE : GPT, 1));
    double tokensBefore = metric("reliapi_llm_tokens_total", "target", target, "type", "completion");
    double successesBefore = metric("reliapi_requests_total", "target", target, "outcome", "success");
    Streamed answer;
    String access;
    try (LogCapture log = LogCapture.capture()) {
      answer = route.call(e2e.gw(), target, "X-ReliAPI-Stream-Commit", mode);
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      access = log.accessLines().getFirst();
    }

    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    assertThat(answer.starts()).as("one answer, not two glued together").isEqualTo(1);
    assertThat(e2e.up().count(providerPath(target))).as("asked once: the provider billed it").isEqualTo(1);
    assertThat(metric("reliapi_llm_tokens_total", "target", target, "type", "completion") - tokensBefore)
        .as("reported, or counted when the usage was cut off").isEqualTo(target.equals("claude") ? 15 : 2);
    assertThat(metric("reliapi_requests_total", "target", target, "outcome", "success") - successesBefore)
        .isEqualTo(1);
    assertThat(access).contains("stream_cut_after_finish " + target + " NETWORK_ERROR");
  }

  /** One chunk of an {@code n = 2} stream: {@code delta} for the choice {@code index}, and its finish reason. */
  static String choice(int index, String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-n2\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":" + index + ",\"delta\":" + delta
        + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
  }

  @Test
  void withTwoChoicesAResetAfterTheFirstFinishedWhileTheSecondStreamsIsACut() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(List.of(
        choice(0, "{\"role\":\"assistant\",\"content\":\"Bon\"}", null),
        choice(1, "{\"role\":\"assistant\",\"content\":\"Hal\"}", null),
        choice(0, "{}", "stop"),
        choice(1, "{\"content\":\"lo\"}", null),
        "data: {\"choices\":[],\"us"), 1));
    double errorsBefore = metric("reliapi_requests_total", "target", "gpt", "outcome", "error");
    RawHttp.Response answer;
    String access;
    try (LogCapture log = LogCapture.capture()) {
      answer = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", "{\"model\": \"gpt/gpt-4o-mini\", \"n\": 2, "
          + "\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
          "X-ReliAPI-Stream-Commit", "first_token");
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      access = log.accessLines().getFirst();
    }

    assertThat(answer.body()).as("choice 1 was cut: the route's error event").contains("NETWORK_ERROR")
        .doesNotContain("[DONE]");
    assertThat(access).doesNotContain("stream_cut_after_finish");
    assertThat(metric("reliapi_requests_total", "target", "gpt", "outcome", "error") - errorsBefore).isEqualTo(1);
  }

  @Test
  void aClientThatAskedForTheUsageChunkGetsTheCountedUsageWhenTheProvidersWasCutOff() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(finishThenHalfAnEvent("gpt"), 1));

    RawHttp.Response answer = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", "{\"model\": \"gpt/gpt-4o-mini\", "
        + "\"stream\": true, \"stream_options\": {\"include_usage\": true}, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}]}");

    List<SseEvents.Event> events = SseEvents.parse(answer.body());
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    SseEvents.Event usage = events.get(events.size() - 2);
    assertThat(usage.json().path("choices").isEmpty()).as(answer.body()).isTrue();
    assertThat(usage.json().path("usage").path("completion_tokens").asInt()).as("counted").isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"ANTHROPIC", "RESPONSES"})
  void theUsageAtTheEndOfAnAnthropicOrResponsesStreamIsTheCountedOneWhenTheProvidersWasCutOff(StreamRoute route) {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(finishThenHalfAnEvent("gpt"), 1));

    Streamed answer = route.call(e2e.gw(), "gpt");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    JsonNode usage = answer.events().stream()
        .filter(e -> "message_delta".equals(e.name()) || "response.completed".equals(e.name()))
        .map(e -> e.json().has("response") ? e.json().path("response").path("usage") : e.json().path("usage"))
        .findFirst().orElseThrow();
    assertThat(usage.path("output_tokens").asInt()).as("counted: %s", usage).isEqualTo(2);
  }

  @Test
  void streamMaxSRunningOutAfterTheFinishEndsTheAnswerWhole() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenSilence(GPT.subList(0, GPT.size() - 2), 1));
    Streamed answer;
    String access;
    try (LogCapture log = LogCapture.capture()) {
      answer = StreamRoute.V1.call(e2e.gw(), "slow");
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      access = log.accessLines().getFirst();
    }

    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    assertThat(access).contains("stream_cut_after_finish slow UPSTREAM_TIMEOUT");
  }

  @ParameterizedTest(name = "{0} behind {1}")
  @MethodSource("io.reliapi.server.StreamCutsAcrossProtocolsEndToEndTest#targetsAndRoutes")
  void aResetBeforeTheFinishIsStillACutThatACompleteStreamRetriesUnseen(String target, StreamRoute route) {
    Behavior cut = LlmBehaviors.sseThenReset(beforeTheFinish(target), 1);
    e2e.up().script("POST " + providerPath(target), cut, LlmBehaviors.sse(target.equals("claude") ? CLAUDE : GPT, 1));

    Streamed answer = route.call(e2e.gw(), target, "X-ReliAPI-Stream-Commit", "complete");

    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    assertThat(e2e.up().count(providerPath(target))).as("the cut attempt, then the retry").isEqualTo(2);
  }
}
