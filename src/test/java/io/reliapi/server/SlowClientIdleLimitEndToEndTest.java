package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that reads slower than the provider sends (docs/streaming.md, "Timeouts"): while the gateway holds the
 * provider back for it, the provider is not silent, so the idle limit does not run. Before 2026-12-08 the bytes read
 * just before the gateway paused started the limit again after the pause, and a client pausing longer than
 * {@code stream_idle_timeout_ms} got {@code UPSTREAM_TIMEOUT} (the provider blamed, its connection reset).
 */
class SlowClientIdleLimitEndToEndTest {
  /** More than the sockets between the provider and a client that reads nothing can hold. */
  static final int PIECES = 24_000;
  static final String PIECE = "y".repeat(1000);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
        targets:
          gpt:
            base_url: "%1$s/v1"
            timeout_ms: 5000
            stream_max_s: 30
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, stream_idle_timeout_ms: 300}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /**
   * Sends a whole answer of {@link #PIECES} pieces as fast as the gateway takes them; sets {@code heldBack} when the
   * gateway stops taking them, {@code closed} when it drops the connection.
   */
  static Behavior sendsAsFastAsTaken(AtomicBoolean heldBack, AtomicBoolean closed) {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(PIECE), 1, PIECES);
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      LlmBehaviors.sseHeaders().forEach(response::putHeader);
      call.request().connection().closeHandler(v -> closed.set(true));
      response.write(events.get(0));
      AtomicInteger sent = new AtomicInteger();
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (!response.writeQueueFull() && !closed.get() && sent.get() < PIECES) {
          response.write(events.get(1));
          sent.incrementAndGet();
        }
        if (closed.get()) {
          return;
        }
        if (sent.get() < PIECES) {
          heldBack.set(true);
          response.drainHandler(v -> pump[0].run());
        } else {
          events.subList(2, events.size()).forEach(response::write);
          response.end();
        }
      };
      pump[0].run();
    };
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aClientPausingLongerThanTheIdleLimitStillGetsTheWholeAnswer(StreamRoute route) throws Exception {
    AtomicBoolean heldBack = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    e2e.up().script("POST /v1/chat/completions", sendsAsFastAsTaken(heldBack, closed));
    try (PendingStream client = route.openUnread(e2e.gw(), "gpt")) {
      await().atMost(Duration.ofSeconds(10)).untilTrue(heldBack);
      // The client reads nothing for five idle limits: the provider is held, not silent.
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).untilFalse(closed);

      Streamed streamed = client.finish();
      assertThat(streamed.error()).as("no error event").isNull();
      assertThat(streamed.whole()).as(() -> { String b = streamed.body(); return b.length() + " " + b.substring(0, Math.min(300, b.length())) + " ... " + b.substring(Math.max(0, b.length() - 300)); }).isTrue();
      assertThat(streamed.text()).hasSize(PIECES * PIECE.length());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
  }
}
