package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stream still running when the drain time ({@code server.drain_timeout_ms}) is over, on every streaming route,
 * with memory and with Redis state: the client gets its route's error event ({@code SHUTTING_DOWN}) before its
 * connection closes, the provider's connection is let go, the request is logged as ended by the drain (not as a
 * client that hung up: 499 NETWORK_ERROR), its budget reservation is settled to what streamed, and its idempotency
 * key is recorded as a broken stream's is, so a repeat on the next instance sharing Redis is told the outcome is
 * unknown and nothing is asked of the provider again.
 */
class DrainCutEndToEndTest {
  static final List<StreamRoute> ROUTES = List.of(StreamRoute.V1, StreamRoute.ANTHROPIC, StreamRoute.RESPONSES,
      StreamRoute.PROXY_LLM);
  static MockUpstream up;
  static RedisServer redis;
  static int keys;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    redis.close();
    up.close();
  }

  static List<Arguments> routesAndStores() {
    List<Arguments> cases = new ArrayList<>();
    for (StreamRoute route : ROUTES) {
      for (boolean shared : List.of(false, true)) {
        cases.add(Arguments.of(route, shared ? "redis" : "memory"));
      }
    }
    return cases;
  }

  static GatewayHarness gateway(String store) {
    return GatewayHarness.yaml((store.equals("redis") ? "redis: {url: \"" + redis.url() + "\"}\n" : "") + """
        server: {drain_timeout_ms: 300}
        targets:
          gpt:
            base_url: "%s/v1"
            circuit: {enabled: false}
            concurrency: {adaptive: false, max: 1, queue_size: 8, queue_timeout_ms: 2000}
            llm: {provider: openai, default_model: gpt-4o-mini, budget: {daily_usd: 100}, limits: {tpm: 100000}}
        """.formatted(up.baseUrl())).start();
  }

  /** What the client of a stream ended by the drain got, and the request's access-log line. */
  record Drained(Streamed answer, String access) {}

  /** Opens a stream, stops {@code draining} once two ticks of it came, and returns what the drain made of it. */
  static Drained drainedMidStream(GatewayHarness draining, Supplier<PendingStream> open) throws Exception {
    try (LogCapture log = LogCapture.capture(); PendingStream stream = open.get()) {
      stream.readUntil("tick", 2);
      var stopped = draining.gateway().stop();
      Streamed answer = stream.finish();
      stopped.await(20, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      return new Drained(answer, log.accessLines().getFirst());
    }
  }

  @ParameterizedTest(name = "{0}, {1} state")
  @MethodSource("routesAndStores")
  void aStreamRunningAtTheEndOfTheDrainEndsWithItsRoutesErrorAndLeavesNothingHeld(StreamRoute route, String store)
      throws Exception {
    AtomicBoolean providerClosed = new AtomicBoolean();
    up.reset();
    up.script("POST /v1/chat/completions", LlmBehaviors.endlessOpenAiStream(providerClosed, 20));
    String key = "drain-" + route + "-" + store + "-" + keys++;
    GatewayHarness draining = gateway(store);
    Drained drained = drainedMidStream(draining, () -> route.openKeyed(draining, "gpt", key));
    Streamed answer = drained.answer();
    String access = drained.access();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).startsWith("tick tick");
    assertThat(answer.finished()).as("never presented as whole: %s", answer.body()).isFalse();
    assertThat(answer.error()).as("the route's error event: %s", answer.body()).contains("SHUTTING_DOWN");
    await().atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);
    assertThat(access).as(access).contains("\"status\":200").contains("\"error_code\":\"SHUTTING_DOWN\"")
        .contains("budget settled");

    if (store.equals("redis")) {
      try (GatewayHarness next = gateway(store)) {
        Streamed repeat = route.call(next, "gpt", "Idempotency-Key", key);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(504);
        assertThat(repeat.body()).contains("IDEMPOTENCY_OUTCOME_UNKNOWN");
        assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "{0} state")
  @MethodSource("stores")
  void aRawStreamRunningAtTheEndOfTheDrainIsCutAndLoggedAsEndedByTheDrain(String store) throws Exception {
    AtomicBoolean providerClosed = new AtomicBoolean();
    up.reset();
    up.script("POST /v1/chat/completions", LlmBehaviors.endlessOpenAiStream(providerClosed, 20));
    GatewayHarness draining = gateway(store);
    Drained drained = drainedMidStream(draining, () -> StreamRoute.RAW.open(draining, "gpt"));
    Streamed answer = drained.answer();
    String access = drained.access();

    assertThat(answer.text()).startsWith("tick tick");
    assertThat(answer.finished()).as("never presented as whole: %s", answer.body()).isFalse();
    assertThat(answer.bodyComplete()).as("cut: the provider's own bytes carry no error event").isFalse();
    await().atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);
    assertThat(access).as(access).contains("\"status\":200").contains("\"error_code\":\"SHUTTING_DOWN\"");
  }

  static List<String> stores() {
    return List.of("memory", "redis");
  }
}
