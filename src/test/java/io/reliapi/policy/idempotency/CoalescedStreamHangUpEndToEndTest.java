package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identical keyed streams at once (docs/guarantees.md, "Streams and framing"): one upstream stream serves them
 * all, and one client hanging up mid-way does not take the answer from the others, whether it is the one whose
 * request leads the key or one of those waiting on it; a duplicate arriving after the end gets the replay. Only
 * when every client of the stream has gone is the provider's stream reset.
 */
class CoalescedStreamHangUpEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3);
  static final String CONFIG = """
        admin: {keys_env: ADMIN_KEYS}
        targets:
          openai:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini}
        """;
  static final String ADMIN = "admin-a";
  static MockUpstream up;
  static RedisServer redis;
  static GatewayHarness memory;
  static GatewayHarness shared;
  static int keys;
  /** The gateway of the running test: keys in memory, or in Redis. */
  GatewayHarness gw;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    redis = RedisServer.start();
    String config = CONFIG.formatted(up.baseUrl(), TestYaml.NO_RETRIES);
    memory = GatewayHarness.yaml(config).env("ADMIN_KEYS", ADMIN).start();
    shared = GatewayHarness.yaml("redis: {url: \"" + redis.url() + "\"}\n" + config).env("ADMIN_KEYS", ADMIN).start();
  }

  @AfterAll
  static void stop() {
    shared.close();
    memory.close();
    redis.close();
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
    for (GatewayHarness gateway : List.of(memory, shared)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().inFlight() == 0);
    }
  }

  static List<Arguments> routesAndStores() {
    List<Arguments> cases = new ArrayList<>();
    for (StreamRoute route : StreamRoute.values()) {
      cases.add(Arguments.of(route, "memory"));
    }
    cases.add(Arguments.of(StreamRoute.V1, "redis"));
    cases.add(Arguments.of(StreamRoute.RAW, "redis"));
    return cases;
  }

  void on(String store) {
    gw = store.equals("redis") ? shared : memory;
  }

  CompletableFuture<Streamed> duplicate(StreamRoute route, String key) {
    return CompletableFuture.supplyAsync(() -> route.call(gw, "openai", "Idempotency-Key", key),
        task -> Thread.ofPlatform().daemon().start(task));
  }

  /** Waits until {@code duplicates} requests wait on a key held by another (counted by its stream before that). */
  void waiting(int duplicates) {
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.http.get("/admin/stores", "X-API-Key", ADMIN).json()
        .get("stores").get("idempotency").get("waiting").asInt() == duplicates);
  }

  /** Hangs {@code client} up and waits until the gateway saw its connection close, which tells its request. */
  void hangUp(PendingStream client) throws IOException {
    double open = connections();
    client.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> connections() <= open - 1);
  }

  double connections() {
    return MetricSamples.scrape(gw).value("reliapi_client_connections");
  }

  static void assertWhole(Streamed answer) {
    assertThat(answer.whole()).as("a whole answer: %s %s %s", answer.status(), answer.error(), answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello!");
  }

  /**
   * The provider writes the first two events, then {@code rest} once the leader of {@code key} read "Hel",
   * {@code count} duplicates wait on it and it hung up; returns what the duplicates got.
   */
  List<Streamed> duplicatesOfALeaderGone(StreamRoute route, String key, List<String> rest, int count)
      throws IOException {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, rest, false));
    List<CompletableFuture<Streamed>> duplicates = new ArrayList<>();
    try (PendingStream leader = route.openKeyed(gw, "openai", key)) {
      leader.readUntil("Hel", 1);
      for (int i = 0; i < count; i++) {
        duplicates.add(duplicate(route, key));
      }
      waiting(count);
      hangUp(leader);
    }
    gate.complete(null);
    return duplicates.stream().map(CompletableFuture::join).toList();
  }

  @ParameterizedTest(name = "{0} with keys in {1}")
  @MethodSource("routesAndStores")
  void whenTheLeadingClientHangsUpMidStreamTheWaitingDuplicatesStillGetTheWholeStream(StreamRoute route, String store)
      throws IOException {
    on(store);
    String key = "lead-gone-" + route + "-" + store + "-" + keys++;
    for (Streamed duplicate : duplicatesOfALeaderGone(route, key, EVENTS.subList(2, EVENTS.size()), 2)) {
      assertWhole(duplicate);
    }
    assertWhole(route.call(gw, "openai", "Idempotency-Key", key));
    assertThat(up.count("/v1/chat/completions")).as("one provider stream for all").isEqualTo(1);
  }

  /**
   * After the leading client hung up its request ended and gave back its share of the memory budget; the stream read
   * on for the duplicates still holds the events split across the provider's writes (the reader's partial event, the
   * raw route's held-back usage chunk), which must not shed it (until 2026-12-08 they were shed with OVERLOADED).
   */
  @ParameterizedTest(name = "{0} with keys in {1}")
  @MethodSource("splitRoutesAndStores")
  void eventsSplitAcrossWritesAfterTheLeadingClientHungUpStillReachTheDuplicates(StreamRoute route, String store)
      throws IOException {
    on(store);
    List<String> halves = new ArrayList<>();
    for (String event : EVENTS.subList(2, EVENTS.size())) {
      halves.add(event.substring(0, event.length() / 2));
      halves.add(event.substring(event.length() / 2));
    }
    String key = "lead-gone-split-" + route + "-" + store + "-" + keys++;
    assertWhole(duplicatesOfALeaderGone(route, key, halves, 1).get(0));
    assertWhole(route.call(gw, "openai", "Idempotency-Key", key));
    assertThat(up.count("/v1/chat/completions")).as("one provider stream for all").isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway().inFlight() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        MetricSamples.scrape(gw).value("reliapi_buffered_bytes") == 0);
  }

  static List<Arguments> splitRoutesAndStores() {
    List<Arguments> cases = new ArrayList<>();
    for (String store : List.of("memory", "redis")) {
      cases.add(Arguments.of(StreamRoute.RAW, store));
      cases.add(Arguments.of(StreamRoute.V1, store));
    }
    return cases;
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "ANTHROPIC"})
  void aWaitingDuplicateThatHangsUpLeavesTheLeaderItsWholeStream(StreamRoute route) throws IOException {
    on("memory");
    CompletableFuture<Void> gate = new CompletableFuture<>();
    up.script(CHAT, LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, EVENTS.subList(2, EVENTS.size()), false));
    String key = "dup-gone-" + route + "-" + keys++;
    try (PendingStream leader = route.openKeyed(gw, "openai", key)) {
      leader.readUntil("Hel", 1);
      try (PendingStream waiting = route.openKeyed(gw, "openai", key)) {
        waiting(1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway().inFlight() == 1);
      gate.complete(null);
      assertWhole(leader.finish());
    }
    assertWhole(route.call(gw, "openai", "Idempotency-Key", key));
    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM"})
  void whenTheLeaderAndEveryWaitingDuplicateHangUpTheProvidersStreamIsReset(StreamRoute route) throws IOException {
    on("memory");
    AtomicBoolean providerClosed = new AtomicBoolean();
    AtomicInteger ticks = new AtomicInteger();
    up.script(CHAT, LlmBehaviors.endlessOpenAiStream(providerClosed, ticks, 20));
    String key = "all-gone-" + route + "-" + keys++;
    try (PendingStream leader = route.openKeyed(gw, "openai", key)) {
      leader.readUntil("tick", 1);
      try (PendingStream waiting = route.openKeyed(gw, "openai", key)) {
        waiting(1);
        hangUp(leader);
        // The stream is still read: the provider writes on, and its stream is not reset.
        int written = ticks.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= written + 5 || providerClosed.get());
        assertThat(providerClosed).as("a client still waits for the stream").isFalse();
      }
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.gateway().inFlight() == 0);
  }
}
