package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13 item 3: while a stream is held before its commit point, an SSE comment every
 * {@code llm.stream_keepalive_s} keeps the connection alive; the first one commits the 200 and the SSE headers,
 * after which a failure can only be the protocol's in-band error event. The gateway's waits run on a manual
 * scheduler: the test moves time on, nothing sleeps.
 */
class StreamKeepAliveEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
  static final ManualClock CLOCK = new ManualClock();
  static final ManualScheduler SCHEDULER = ManualScheduler.manual(CLOCK);
  static MockUpstream up;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    String once = "    retry_matrix: {\"429\": {attempts: 1}, \"5xx\": {attempts: 1}, net: {attempts: 1}, "
        + "timeout: {attempts: 1}}\n    circuit: {enabled: false}\n";
    gw = GatewayHarness.yaml("""
        targets:
          held:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          whole:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_commit: complete,
                  stream_keepalive_s: 5}
          quiet:
            base_url: "%1$s/v1"
        %2$s    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, stream_keepalive_s: 0}
        """.formatted(up.baseUrl(), once)).clock(CLOCK, SCHEDULER).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
  }

  /**
   * Waits until the gateway holds the request (the provider has it) having scheduled {@code tasks} waits since
   * {@code scheduledBefore} were, and has them pending.
   */
  static void awaitHeld(int scheduledBefore, int tasks) {
    await().atMost(Duration.ofSeconds(5)).until(() -> up.total() == 1 && SCHEDULER.pendingCount() == tasks
        && SCHEDULER.requestedDelaysMs().size() == scheduledBefore + tasks);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aLongWaitForTheFirstTokenSendsKeepAliveCommentsThenTheWholeAnswer(StreamRoute route) throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 1), gate, EVENTS.subList(1, EVENTS.size()), false));
    int scheduled = SCHEDULER.requestedDelaysMs().size();
    try (PendingStream pending = route.open(gw, "held")) {
      awaitHeld(scheduled, 1);
      SCHEDULER.advance(Duration.ofSeconds(10));
      String head = pending.readUntil(": keep-alive", 1);
      awaitHeld(scheduled + 1, 1);
      SCHEDULER.advance(Duration.ofSeconds(10));
      pending.readUntil(": keep-alive", 2);
      gate.complete(null);
      Streamed answer = pending.finish();

      assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream");
      assertThat(answer.whole()).as(answer.body()).isTrue();
      assertThat(answer.text()).isEqualTo("Hello");
      assertThat(answer.starts()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aFailureAfterTheKeepAliveCommittedTheHeadIsTheProtocolsErrorEvent(StreamRoute route) throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, List.of(), true));
    int scheduled = SCHEDULER.requestedDelaysMs().size();
    try (PendingStream pending = route.open(gw, "whole")) {
      awaitHeld(scheduled, 1);
      SCHEDULER.advance(Duration.ofSeconds(5));
      pending.readUntil(": keep-alive", 1);
      gate.complete(null);
      Streamed answer = pending.finish();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.whole()).isFalse();
      assertThat(answer.text()).as("nothing of the held attempt reached the client").isEmpty();
      assertThat(answer.error()).contains("NETWORK_ERROR");
      if (route == StreamRoute.PROXY_LLM) {
        assertThat(io.reliapi.testing.SseEvents.names(answer.events())).containsExactly("meta", "error");
        assertThat(answer.bodyComplete()).as("the error event ends a /proxy/llm stream").isTrue();
      } else {
        assertThat(answer.bodyComplete()).as("the chunked body is cut off").isFalse();
      }
    }
  }

  @Test
  void noKeepAliveIsScheduledWhenItIsOffOrTheAnswerIsNotStreamed() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 1), gate, EVENTS.subList(1, EVENTS.size()), false));
    int scheduled = SCHEDULER.requestedDelaysMs().size();
    try (PendingStream pending = StreamRoute.V1.open(gw, "quiet")) {
      awaitHeld(scheduled, 0);
      gate.complete(null);
      assertThat(pending.finish().whole()).isTrue();
    }
  }
}
