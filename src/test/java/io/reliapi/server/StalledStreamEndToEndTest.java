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
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
        targets:
          stalling:
            base_url: "%1$s/v1"
            timeout_ms: 5000
            max_connections: 1
            concurrency: {adaptive: false, max: 1, queue_size: 1, queue_timeout_ms: 100}
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, stream_idle_timeout_ms: 300}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /**
   * Sends the role chunk and a word, then no event, the connection open: silent, or (with {@code keepAliveMs} above
   * 0) a {@code : keep-alive} comment that often for 3 s, then the rest of the answer. Sets {@code reset} when the
   * gateway drops it.
   */
  static Behavior stallsAfterAWord(AtomicBoolean reset, long keepAliveMs) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      LlmBehaviors.sseHeaders().forEach(response::putHeader);
      call.request().connection().closeHandler(v -> reset.set(true));
      response.write(EVENTS.get(0));
      response.write(EVENTS.get(1));
      if (keepAliveMs > 0) {
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        call.vertx().setPeriodic(keepAliveMs, id -> {
          if (reset.get() || System.nanoTime() > until) {
            call.vertx().cancelTimer(id);
            if (!reset.get()) {
              EVENTS.subList(2, EVENTS.size()).forEach(response::write);
              response.end();
            }
          } else {
            response.write(": keep-alive\n\n");
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

  private void assertAStallEndsInTheRoutesTimeoutError(StreamRoute route, long keepAliveMs) {
    AtomicBoolean reset = new AtomicBoolean();
    e2e.up().script(CHAT, stallsAfterAWord(reset, keepAliveMs), LlmBehaviors.sse(EVENTS, 1));
    Streamed stalled = route.call(e2e.gw(), "stalling");

    assertThat(stalled.status()).isEqualTo(200);
    assertThat(stalled.text()).isEqualTo("Hel");
    assertThat(stalled.whole()).isFalse();
    assertThat(stalled.error()).as(stalled.body()).contains("UPSTREAM_TIMEOUT");
    await().atMost(Duration.ofSeconds(2)).untilTrue(reset);

    Streamed next = route.call(e2e.gw(), "stalling");
    assertThat(next.whole()).as("served at once on a new connection: %s", next.body()).isTrue();
    assertThat(next.text()).isEqualTo("Hello");
    await().atMost(Duration.ofSeconds(2)).until(() -> e2e.gw().gateway().inFlight() == 0);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_concurrency_in_flight", "target", "stalling")).isZero();
    assertThat(metrics.value("reliapi_buffered_bytes")).isZero();
  }
}
