package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A provider that stalls mid-stream, its connection open (docs/guarantees.md, "Streams and framing"), silent or
 * sending only {@code : keep-alive} comments: the idle limit ends the stream with the route's own error, the
 * provider's connection is reset (never handed back to the pool to carry the next request's answer), and the
 * target's one concurrency place and one connection serve the next request at once.
 */
class StalledStreamEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String MESSAGES = "POST /v1/messages";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
  /** message_start, the text block's start, its ping, "Hel", then the rest. */
  static final List<String> ANTHROPIC_EVENTS =
      LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Hel", "lo"), 9, 2);
  static final String KEEP_ALIVE = ": keep-alive\n\n";
  static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";

  /**
   * An Anthropic target of the {@code targets} block whose idle limit is 300 ms: {@code %1$s} is the upstream's base
   * URL, {@code %2$s} its retries.
   */
  static final String PINGING = """
        pinging:
          base_url: "%1$s/v1"
          timeout_ms: 5000
          %2$s
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_idle_timeout_ms: 300}
      """;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
        targets:
          stalling:
            base_url: "%1$s/v1"
            timeout_ms: 5000
            max_connections: 1
            concurrency: {adaptive: false, max: 1, queue_size: 1, queue_timeout_ms: 100}
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, stream_idle_timeout_ms: 300}
        """ + PINGING).formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /**
   * Sends the role chunk and a word, then no event, the connection open: silent, or (with {@code keepAliveMs} above
   * 0) a {@code : keep-alive} comment that often for 3 s, then the rest of the answer. Sets {@code reset} when the
   * gateway drops it.
   */
  static Behavior stallsAfterAWord(AtomicBoolean reset, long keepAliveMs) {
    return stallsAfter(EVENTS, 2, reset, KEEP_ALIVE, keepAliveMs);
  }

  /**
   * Sends the first {@code sent} of {@code events}, then none, the connection open: silent, or (with {@code everyMs}
   * above 0) {@code filler} that often for 3 s, then the rest of the events. Sets {@code reset} when the gateway drops
   * it.
   */
  static Behavior stallsAfter(List<String> events, int sent, AtomicBoolean reset, String filler, long everyMs) {
    return pausesAfter(events, sent, reset, filler, everyMs, Duration.ofSeconds(3));
  }

  /**
   * Sends the first {@code sent} of {@code events}, then {@code filler} every {@code everyMs} for {@code lasting},
   * then the rest of the events. Sets {@code reset} when the gateway drops it.
   */
  static Behavior pausesAfter(List<String> events, int sent, AtomicBoolean reset, String filler, long everyMs,
      Duration lasting) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      LlmBehaviors.sseHeaders().forEach(response::putHeader);
      call.request().connection().closeHandler(v -> reset.set(true));
      events.subList(0, sent).forEach(response::write);
      if (everyMs > 0) {
        long until = System.nanoTime() + lasting.toNanos();
        call.vertx().setPeriodic(everyMs, id -> {
          if (reset.get() || System.nanoTime() > until) {
            call.vertx().cancelTimer(id);
            if (!reset.get()) {
              events.subList(sent, events.size()).forEach(response::write);
              response.end();
            }
          } else {
            response.write(filler);
          }
        });
      }
    };
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM", "ANTHROPIC", "RESPONSES"})
  void aStallMidStreamEndsInTheRoutesTimeoutErrorResetsTheProviderAndFreesThePlace(StreamRoute route) {
    assertAStallEndsInTheRoutesTimeoutError(route, 0);
  }

  /**
   * Comments keep a connection open but say nothing of the answer: before 2026-12-08 each one started the idle
   * limit over, and a provider whose model stalled behind a front that sends them held the client until the stream's
   * time limit (here it went on after 3 s, past ten idle limits, and the stream read as whole).
   */
  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM", "ANTHROPIC", "RESPONSES"})
  void aStallBehindKeepAliveCommentsStillEndsAtTheIdleLimit(StreamRoute route) {
    assertAStallEndsInTheRoutesTimeoutError(route, 100);
  }

  /**
   * After the first token only what moves the answer on starts the idle limit over: Anthropic's {@code ping} events
   * (here with {@code id:} and {@code retry:} lines between them) decode to nothing, so a model that stalled while its
   * front pings the connection stalls all the same. Before 2026-12-08 each ping started the limit over (here the
   * answer went on after 3 s, past ten idle limits, and read as whole).
   */
  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM", "ANTHROPIC", "RESPONSES"})
  void aStallBehindAnthropicPingsStillEndsAtTheIdleLimit(StreamRoute route) {
    AtomicBoolean reset = new AtomicBoolean();
    e2e.up().script(MESSAGES, stallsAfter(ANTHROPIC_EVENTS, 4, reset, PING + "id: 7\nretry: 100\n\n", 100),
        LlmBehaviors.sse(ANTHROPIC_EVENTS, 1));
    assertAStallEnds(route, "pinging", reset);
  }

  private void assertAStallEndsInTheRoutesTimeoutError(StreamRoute route, long keepAliveMs) {
    AtomicBoolean reset = new AtomicBoolean();
    e2e.up().script(CHAT, stallsAfterAWord(reset, keepAliveMs), LlmBehaviors.sse(EVENTS, 1));
    assertAStallEnds(route, "stalling", reset);
  }

  private void assertAStallEnds(StreamRoute route, String target, AtomicBoolean reset) {
    Streamed stalled = route.call(e2e.gw(), target);

    assertThat(stalled.status()).isEqualTo(200);
    assertThat(stalled.text()).isEqualTo("Hel");
    assertThat(stalled.whole()).isFalse();
    assertThat(stalled.error()).as(stalled.body()).contains("UPSTREAM_TIMEOUT");
    await().atMost(Duration.ofSeconds(2)).untilTrue(reset);

    Streamed next = route.call(e2e.gw(), target);
    assertThat(next.whole()).as("served at once on a new connection: %s", next.body()).isTrue();
    assertThat(next.text()).isEqualTo("Hello");
    await().atMost(Duration.ofSeconds(2)).until(() -> e2e.gw().gateway().inFlight() == 0);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_concurrency_in_flight", "target", target)).isZero();
    assertThat(metrics.value("reliapi_buffered_bytes")).isZero();
  }
}
