package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A provider stream cut after a few tokens (docs/guarantees.md, "Streams and framing"), by a reset or by a clean
 * close before the answer's end, from an Anthropic and from an OpenAI provider, behind every translating route:
 * the client gets the route's own terminal error, never a stream that looks complete; what streamed is charged;
 * the request counts once; and a repeat with its key is told the outcome is unknown, never replayed the cut
 * stream as whole. So is one whose end marker came before its finish reason. A stream that ended after its
 * finish reason, without its end marker or usage, is whole.
 */
class StreamCutsAcrossProtocolsEndToEndTest {
  static final List<StreamRoute> ROUTES = List.of(StreamRoute.V1, StreamRoute.ANTHROPIC, StreamRoute.RESPONSES,
      StreamRoute.PROXY_LLM);
  static final List<String> CLAUDE = LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5",
      List.of("Bon", "jour", " monde"), 25, 15);
  static final List<String> GPT = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Bon", "jour", " monde"), 25, 15);
  static int keys;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    return GatewayHarness.yaml("""
        targets:
          claude:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
          gpt:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES));
  });

  static List<Arguments> targetsAndRoutes() {
    List<Arguments> cases = new ArrayList<>();
    for (String target : List.of("claude", "gpt")) {
      for (StreamRoute route : ROUTES) {
        cases.add(Arguments.of(target, route));
      }
    }
    return cases;
  }

  /** The provider's events up to and with the second word, before any finish reason. */
  static List<String> untilTheSecondWord(String target) {
    return target.equals("claude") ? CLAUDE.subList(0, 5) : GPT.subList(0, 3);
  }

  static String providerPath(String target) {
    return target.equals("claude") ? "/v1/messages" : "/v1/chat/completions";
  }

  static double completionTokens(String target) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_llm_tokens_total", "target", target, "type", "completion");
  }

  static double errors(String target) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", target, "outcome", "error");
  }

  private void assertCutStreamEndsInError(String target, StreamRoute route, Behavior cut) {
    e2e.up().script("POST " + providerPath(target), cut);
    String key = "cut-" + target + "-" + route + "-" + keys++;
    double tokensBefore = completionTokens(target);
    double errorsBefore = errors(target);
    Streamed answer;
    try (LogCapture log = LogCapture.capture()) {
      answer = route.call(e2e.gw(), target, "Idempotency-Key", key);
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      assertThat(log.accessLines()).as("one access line").hasSize(1);
    }

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("Bonjour");
    assertThat(answer.finished()).as("no end marker: %s", answer.body()).isFalse();
    assertThat(answer.error()).as("the route's own terminal error: %s", answer.body()).isNotNull();
    assertThat(answer.whole()).isFalse();
    if (route == StreamRoute.V1) {
      assertThat(answer.bodyComplete()).as("the OpenAI stream is cut after its error").isFalse();
    }
    assertThat(completionTokens(target) - tokensBefore).as("what streamed is charged").isGreaterThanOrEqualTo(1);
    assertThat(errors(target) - errorsBefore).as("counted once, as an error").isEqualTo(1);

    Streamed repeat = route.call(e2e.gw(), target, "Idempotency-Key", key);
    assertThat(repeat.status()).isEqualTo(504);
    assertThat(repeat.body()).contains("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(e2e.up().count(providerPath(target))).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} behind {1}")
  @MethodSource("targetsAndRoutes")
  void aStreamResetMidAnswerEndsInTheRoutesErrorIsChargedAndNeverReplayed(String target, StreamRoute route) {
    assertCutStreamEndsInError(target, route, LlmBehaviors.sseThenReset(untilTheSecondWord(target), 1));
  }

  @ParameterizedTest(name = "{0} behind {1}")
  @MethodSource("targetsAndRoutes")
  void aStreamClosedCleanlyBeforeItsFinishEndsInTheRoutesErrorIsChargedAndNeverReplayed(String target,
      StreamRoute route) {
    assertCutStreamEndsInError(target, route, LlmBehaviors.sse(untilTheSecondWord(target), 1));
  }

  @ParameterizedTest(name = "{0} behind {1}")
  @MethodSource("targetsAndRoutes")
  void anEndMarkerBeforeAFinishIsACutFromAnthropicAndTheWholeAnswerFromAnOpenAiProtocolServer(String target,
      StreamRoute route) {
    // Anthropic always states a stop reason before message_stop: without one the answer may have been cut. Servers
    // speaking OpenAI's protocol leave finish_reason out, and their [DONE] is their whole answer.
    List<String> events = new ArrayList<>(untilTheSecondWord(target));
    events.add(target.equals("claude") ? CLAUDE.getLast() : GPT.getLast());
    if (target.equals("claude")) {
      assertCutStreamEndsInError(target, route, LlmBehaviors.sse(events, 1));
      return;
    }
    e2e.up().script("POST " + providerPath(target), LlmBehaviors.sse(events, 1));
    Streamed answer = route.call(e2e.gw(), target, "Idempotency-Key", "done-early-" + route + "-" + keys++);
    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour");
  }

  @ParameterizedTest(name = "{0} behind {1}")
  @MethodSource("targetsAndRoutes")
  void aStreamClosedAfterItsFinishWithoutItsEndMarkerIsWholeChargedAndReplayed(String target, StreamRoute route) {
    // Anthropic: everything but message_stop; OpenAI: everything but the usage chunk and [DONE].
    List<String> events = target.equals("claude") ? CLAUDE.subList(0, CLAUDE.size() - 1) : GPT.subList(0, GPT.size() - 2);
    e2e.up().script("POST " + providerPath(target), LlmBehaviors.sse(events, 1));
    String key = "finished-" + target + "-" + route + "-" + keys++;
    double tokensBefore = completionTokens(target);

    Streamed answer = route.call(e2e.gw(), target, "Idempotency-Key", key);
    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    double charged = completionTokens(target) - tokensBefore;
    assertThat(charged).as("reported, or counted when unreported").isEqualTo(target.equals("claude") ? 15 : 2);

    Streamed repeat = route.call(e2e.gw(), target, "Idempotency-Key", key);
    assertThat(repeat.whole()).isTrue();
    assertThat(repeat.text()).isEqualTo("Bonjour monde");
    assertThat(e2e.up().count(providerPath(target))).isEqualTo(1);
  }
}
