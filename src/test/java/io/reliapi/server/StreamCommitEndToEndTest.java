package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestHttp.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13 items 1 and 2 through every streaming route ({@code /v1/chat/completions}, {@code /proxy/llm}, the raw
 * {@code /t/}): a stream is held until its commit point, and every fault before it is retried or falls back
 * without the client seeing anything; after it, a fault ends the stream with the protocol's error event.
 */
class StreamCommitEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
  static final String ROLE = EVENTS.get(0);
  static final String HEL = EVENTS.get(1);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    String retries = "    retry_matrix: {\"429\": {attempts: 1}, \"5xx\": {attempts: 2}, net: {attempts: 2}, "
        + "timeout: {attempts: 1}}\n    circuit: {enabled: false}\n";
    return GatewayHarness.yaml("""
        targets:
          held:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          slow:
            base_url: "%1$s/v1"
            timeout_ms: 3000
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, first_token_timeout_ms: 300,
                  stream_idle_timeout_ms: 300}
            fallback_targets: [backup]
          whole:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_commit: complete}
            fallback_targets: [backup]
          plain:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_commit: none}
          backup:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_commit: none}
        """.formatted(up.baseUrl(), retries));
  });

  @BeforeAll
  static void start() {
    e2e.up().script(CHAT, healthy());
    e2e.gw().http.post("/proxy/llm", "{\"target\": \"held\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"warm\"}]}");
  }

  static Behavior healthy() {
    return LlmBehaviors.sse(EVENTS, 1);
  }

  static Behavior errorEventAfterTheRole() {
    return LlmBehaviors.sse(List.of(ROLE, "data: {\"error\":{\"message\":\"The server had an error.\","
        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"), 1);
  }

  static void assertWholeAnswer(Streamed answer) {
    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(answer.starts()).as("one start of the answer, none from the failed attempt").isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void atTheFirstTokenAnErrorEventInsideA200IsRetriedUnseen(StreamRoute route) {
    e2e.up().script(CHAT, errorEventAfterTheRole(), healthy());
    Streamed answer = route.call(e2e.gw(), "held");

    assertWholeAnswer(answer);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void atTheFirstTokenAnEmptyStreamIsRetriedUnseen(StreamRoute route) {
    e2e.up().script(CHAT, LlmBehaviors.sse(List.of(ROLE, "data: [DONE]\n\n"), 1), healthy());
    Streamed answer = route.call(e2e.gw(), "held");

    assertWholeAnswer(answer);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void noFirstTokenWithinTheFirstTokenTimeoutFallsBackUnseen(StreamRoute route) {
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(List.of(ROLE), 1), healthy());
    long start = System.nanoTime();
    Streamed answer = route.call(e2e.gw(), "slow");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertWholeAnswer(answer);
    assertThat(tookMs).as("the first-token limit, not timeout_ms").isBetween(300L, 2500L);
    assertThat(e2e.up().count("/v1/chat/completions")).as("a timeout is not retried here: it falls back").isEqualTo(2);
  }

  @Test
  void aFallbackForASilentFirstTokenIsNamedInMetaAndHeaders() {
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(List.of(ROLE), 1), healthy());
    Streamed proxy = StreamRoute.PROXY_LLM.call(e2e.gw(), "slow");
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(List.of(ROLE), 1), healthy());
    Res v1 = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"slow/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

    var meta = proxy.events().getFirst().json();
    assertThat(meta.get("fallback_target").asText()).isEqualTo("backup");
    assertThat(meta.get("fallback_reason").asText()).isEqualTo("timeout");
    assertThat(v1.header("X-ReliAPI-Target")).isEqualTo("backup");
    assertThat(v1.header("X-ReliAPI-Fallback-Reason")).isEqualTo("timeout");
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void afterTheFirstTokenASilencePastTheIdleTimeoutEndsWithAnErrorEvent(StreamRoute route) {
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(List.of(ROLE, HEL), 1));
    long start = System.nanoTime();
    Streamed answer = route.call(e2e.gw(), "slow");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.whole()).isFalse();
    assertThat(answer.text()).isEqualTo("Hel");
    assertThat(tookMs).as("the idle limit, not timeout_ms").isBetween(300L, 2500L);
    if (route != StreamRoute.RAW) {
      assertThat(answer.error()).contains("UPSTREAM_TIMEOUT");
    }
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  /** The faults a stream can have after its first token, each followed by a healthy answer. */
  static List<Behavior> faultsAfterTheFirstToken() {
    List<String> malformed = new ArrayList<>(EVENTS);
    malformed.add(2, "data: {\"id\": \"chatcmpl-x\", \"choices\": [{\"delta\": {\"content\": \n\n");
    return List.of(LlmBehaviors.sseThenReset(List.of(ROLE, HEL), 1),
        LlmBehaviors.sse(List.of(ROLE, HEL, EVENTS.get(2)), 1),
        LlmBehaviors.sse(malformed, 1),
        LlmBehaviors.sse(List.of(ROLE, HEL, "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\","
            + "\"code\":\"overloaded\"}}\n\n"), 1));
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void whenCompleteACutAnEndWithoutFinishAMalformedEventOrAnErrorEventIsRetriedUnseen(StreamRoute route) {
    for (Behavior fault : faultsAfterTheFirstToken()) {
      e2e.up().reset();
      e2e.up().script(CHAT, fault, healthy());
      Streamed answer = route.call(e2e.gw(), "plain", "X-ReliAPI-Stream-Commit", "complete");

      assertWholeAnswer(answer);
      assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void whenCompleteAStallAfterTheFirstTokenFallsBackUnseen(StreamRoute route) {
    e2e.up().script(CHAT, LlmBehaviors.sseThenSilence(List.of(ROLE, HEL), 1), LlmBehaviors.sseThenSilence(List.of(ROLE, HEL), 1),
        healthy());
    long start = System.nanoTime();
    Streamed answer = route.call(e2e.gw(), "slow", "X-ReliAPI-Stream-Commit", "complete");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertWholeAnswer(answer);
    assertThat(e2e.up().count("/v1/chat/completions")).as("a stall is retried as net, then falls back").isEqualTo(3);
    // Nobody reads before the commit point, but the provider is read: its idle limit is armed (until 2026-12-08 a
    // change armed it only with a reader, and each stall waited for timeout_ms).
    assertThat(tookMs).as("two idle limits, not timeout_ms").isLessThan(2500L);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void theRoutedTargetsModeGovernsItsFallbacks(StreamRoute route) {
    // "whole" holds complete answers and falls back to "backup", which itself commits at the first event.
    Behavior cut = LlmBehaviors.sseThenReset(List.of(ROLE, HEL), 1);
    e2e.up().script(CHAT, cut, cut, cut, healthy());
    Streamed answer = route.call(e2e.gw(), "whole");

    assertWholeAnswer(answer);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void atTheFirstEventAFaultAfterItEndsWithTheProtocolsErrorEvent(StreamRoute route) {
    e2e.up().script(CHAT, errorEventAfterTheRole(), healthy());
    Streamed answer = route.call(e2e.gw(), "plain");

    assertThat(answer.whole()).isFalse();
    assertThat(answer.starts()).isEqualTo(1);
    assertThat(answer.error()).isNotNull();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aStreamThatEndsAfterItsFinishReasonWithoutItsEndMarkerIsComplete(StreamRoute route) {
    e2e.up().script(CHAT, LlmBehaviors.sse(EVENTS.subList(0, EVENTS.size() - 1), 1));
    Streamed answer = route.call(e2e.gw(), "held");

    assertThat(answer.error()).isNull();
    assertThat(answer.bodyComplete()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    // The LLM routes end their own protocol's stream; the raw route passes the provider's bytes as they came.
    assertThat(answer.finished()).isEqualTo(route != StreamRoute.RAW);
  }

  @Test
  void aStreamCommitHeaderNamingNoModeIsRefused() {
    Res res = e2e.gw().http.post("/v1/chat/completions", "{\"model\": \"held/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", "X-ReliAPI-Stream-Commit", "later");

    assertThat(res.status()).isEqualTo(400);
    assertThat(res.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void theStreamCommitHeaderIsNotForwardedToTheProvider() {
    e2e.up().script(CHAT, healthy());
    Streamed answer = StreamRoute.RAW.call(e2e.gw(), "held", "X-ReliAPI-Stream-Commit", "complete");

    assertThat(answer.whole()).isTrue();
    assertThat(e2e.up().last().header("X-ReliAPI-Stream-Commit")).isNull();
  }
}
