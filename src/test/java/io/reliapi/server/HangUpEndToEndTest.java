package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that hangs up leaves nothing held, at whatever moment it goes, on every route that reaches an upstream
 * and with the in-memory and the Redis stores: not the server's in-flight count, not a place of the target's
 * concurrency limit (1 here, with a queue) or of its connection pool (1 connection), not a budget reservation of a
 * call that never went out, not a wait on another request's idempotency key. Each test hangs up at one moment,
 * then proves by what the gateway does next that nothing is held: the count of requests in flight returns to 0,
 * the limit's gauges to idle, and the next request is served at once. The upstream holds each call (or its stream)
 * until the test lets it go. The phases where a store holds something (a key's wait, the budget of a call in flight)
 * run against both stores; before its concurrency place a request holds nothing in a store.
 */
class HangUpEndToEndTest {
  static final String EXTRAS = TestYaml.ONE_ATTEMPT + "max_connections: 1\n"
      + "concurrency: {adaptive: false, max: 1, queue_size: 8, queue_timeout_ms: 5000}\n";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2);
  static MockUpstream up;
  static RedisServer redis;
  static GatewayHarness memory;
  static GatewayHarness shared;
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  /** Where the gateway keeps its state. */
  enum Store { MEMORY, REDIS }

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    redis = RedisServer.start();
    String targets = "targets:\n"
        + EveryRoute.targets(up.baseUrl(), "api", EXTRAS, "budget: {daily_usd: 100}")
        + EveryRoute.targets(up.baseUrl(), "kept", EXTRAS, "stream_commit: complete, stream_keepalive_s: 1")
        + EveryRoute.targets(up.baseUrl(), "cached", TestYaml.ONE_ATTEMPT
            + "cache: {ttl_s: 300}\n", "");
    String admin = "admin: {keys_env: ADMIN_KEYS}\n";
    memory = GatewayHarness.yaml(admin + targets).env("ADMIN_KEYS", "admin-k").start();
    shared = GatewayHarness.yaml(admin + "redis: {url: \"" + redis.url() + "\"}\n" + targets)
        .env("ADMIN_KEYS", "admin-k").start();
  }

  @AfterAll
  static void stop() {
    shared.close();
    memory.close();
    redis.close();
    up.close();
  }

  @BeforeEach
  void holdEveryCall() {
    up.reset();
    EveryRoute.hold(up, held, "api", "kept", "cached");
  }

  @AfterEach
  void letHeldCallsGo() {
    EveryRoute.letGo(held);
  }

  static GatewayHarness gateway(Store store) {
    return store == Store.MEMORY ? memory : shared;
  }

  static Stream<Arguments> upstreamedInEachStore() {
    return EveryRoute.upstreamed().stream()
        .flatMap(route -> Arrays.stream(Store.values()).map(store -> Arguments.of(route, store)));
  }

  /** The routes whose answer reaches the client as it arrives: the LLM streams and the raw route's bodies. */
  static List<EveryRoute> streamed() {
    return EveryRoute.upstreamed().stream().filter(r -> r.stream || r == EveryRoute.PASS_THROUGH).toList();
  }

  static List<EveryRoute> llmStreams() {
    return EveryRoute.upstreamed().stream().filter(r -> r.stream).toList();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aClientThatHangsUpWhileItsBodyIsStillArrivingLeavesNothingHeld(EveryRoute route) {
    GatewayHarness gw = memory;
    double spent = spentUsd(gw);
    try (HangingClient client = HangingClient.sendHalf(gw.port(), route, "api")) {
      soon(5).until(() -> gw.gateway().inFlight() == 1);
    }
    assertNothingHeld(gw, route, "api");
    assertThat(spentUsd(gw)).isEqualTo(spent);
    assertThat(up.count(route.upstreamPath("api"))).isZero();
    assertTheNextRequestIsServedAtOnce(gw, route, "api");
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aClientThatHangsUpWhileQueuedForAConcurrencyPlaceLeavesTheQueueAndHoldsNothing(EveryRoute route) {
    GatewayHarness gw = memory;
    CompletableFuture<Res> first = route.callAsync(gw.http, "api");
    soon(5).until(() -> held.size() == 1);
    double spent = spentUsd(gw);
    try (HangingClient client = HangingClient.send(gw.port(), route, "api")) {
      soon(5).until(() -> limiter(gw, "waiting", route.target("api")) == 1);
    }
    soon(2).until(() -> limiter(gw, "waiting", route.target("api")) == 0);
    soon(2).until(() -> gw.gateway().inFlight() == 1);
    assertThat(spentUsd(gw)).isEqualTo(spent);

    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    assertNothingHeld(gw, route, "api");
    assertThat(up.count(route.upstreamPath("api"))).isEqualTo(1);
    assertTheNextRequestIsServedAtOnce(gw, route, "api");
  }

  @ParameterizedTest
  @MethodSource("upstreamedInEachStore")
  void aClientThatHangsUpWhileItsUpstreamCallIsInFlightResetsItAndHoldsNothing(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    try (HangingClient client = HangingClient.send(gw.port(), route, "api")) {
      soon(5).until(() -> held.size() == 1);
    }
    MockUpstream.Call call = held.poll();
    soon(2).until(() -> call.request().response().closed());
    assertNothingHeld(gw, route, "api");
    assertTheNextRequestIsServedAtOnce(gw, route, "api");
  }

  @ParameterizedTest
  @MethodSource("upstreamedInEachStore")
  void aCoalescedDuplicateThatHangsUpStopsWaitingAndTheKeyStillAnswersAsDocumented(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String key = "gone-" + route.name() + "-" + store.name();
    // The raw client sends a JSON content type, which the key's fingerprint of a /t/ body takes in.
    String[] keyed = {"Idempotency-Key", key, "Content-Type", "application/json"};
    CompletableFuture<Res> first = route.callAsync(gw.http, "api", keyed);
    soon(5).until(() -> held.size() == 1);
    try (HangingClient duplicate = HangingClient.send(gw.port(), route, "api", "Idempotency-Key", key)) {
      soon(5).until(() -> gw.gateway().inFlight() == 2);
      soon(5).until(() -> admin(gw, "/admin/stores").get("stores").get("idempotency").get("waiting").asLong() == 1);
    }
    soon(2).until(() -> gw.gateway().inFlight() == 1);

    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    Res again = route.call(gw.http, "api", keyed);
    assertThat(route.completed(again)).isTrue();
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count(route.upstreamPath("api"))).isEqualTo(1);
    assertNothingHeld(gw, route, "api");
  }

  @Test
  void aRequestWaitingOnTheCachesFillThatHangsUpStopsWaitingAtOnce() {
    EveryRoute route = EveryRoute.CHAT_COMPLETIONS;
    CompletableFuture<Res> first = route.callAsync(memory.http, "cached");
    soon(5).until(() -> held.size() == 1);
    try (HangingClient waiter = HangingClient.send(memory.port(), route, "cached")) {
      soon(5).until(() -> memory.gateway().inFlight() == 2);
      // Time for the second request to find the fill in flight and wait on it.
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
    }
    // It stops while the fill is still in flight, not when the fill ends.
    soon(2).until(() -> memory.gateway().inFlight() == 1);
    assertThat(held).hasSize(1);

    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    assertThat(up.count(route.upstreamPath("cached"))).isEqualTo(1);
    soon(2).until(() -> memory.gateway().inFlight() == 0);
  }

  @ParameterizedTest
  @MethodSource("streamed")
  void aClientThatHangsUpMidStreamEndsTheUpstreamCallAndHoldsNothing(EveryRoute route) {
    held.clear();
    up.reset();
    up.otherwise("POST " + route.upstreamPath("api"), route.kind == EveryRoute.Kind.HTTP
        ? firstChunkThenHold()
        : LlmBehaviors.sseGated(EVENTS.subList(0, 2), new CompletableFuture<>(), EVENTS.subList(2, EVENTS.size()),
            false));
    try (HangingClient client = HangingClient.send(memory.port(), route, "api")) {
      client.readUntil(route.kind == EveryRoute.Kind.HTTP ? "order" : "Hi");
    }
    assertNothingHeld(memory, route, "api");
    up.reset();
    EveryRoute.serve(up, "api", 0);
    assertTheNextRequestIsServedAtOnce(memory, route, "api");
  }

  @ParameterizedTest
  @MethodSource("llmStreams")
  void aClientThatHangsUpWhileItsCompleteStreamIsHeldWithKeepAlivesHoldsNothing(EveryRoute route) {
    up.reset();
    up.otherwise("POST " + route.upstreamPath("kept"),
        LlmBehaviors.sseGated(EVENTS.subList(0, 2), new CompletableFuture<>(), EVENTS.subList(2, EVENTS.size()),
            false));
    try (HangingClient client = HangingClient.send(memory.port(), route, "kept")) {
      client.readUntil(StreamHold.KEEP_ALIVE);
    }
    assertNothingHeld(memory, route, "kept");
    up.reset();
    EveryRoute.serve(up, "kept", 0);
    assertTheNextRequestIsServedAtOnce(memory, route, "kept");
  }

  /** Waits at most {@code seconds} for a condition, looking every 10 ms. */
  static org.awaitility.core.ConditionFactory soon(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(10));
  }

  /** A chunked 201 whose first chunk goes out at once and whose rest never comes. */
  private static Behavior firstChunkThenHold() {
    return call -> call.request().response().setStatusCode(201).setChunked(true)
        .putHeader("Content-Type", "application/json").write("{\"order\": ");
  }

  /**
   * Proves that no request is left in flight and no place of the target's concurrency limit is held or waited
   * for, no byte of the memory budget is held, and that the in-memory idempotency store holds no key in progress.
   */
  static void assertNothingHeld(GatewayHarness gw, EveryRoute route, String target) {
    soon(2).until(() -> gw.gateway().inFlight() == 0);
    // Given back as the provider's connection is let go, which may come just after the request left flight.
    soon(2).untilAsserted(() -> assertThat(MetricSamples.scrape(gw).value("reliapi_buffered_bytes"))
        .as("bytes of the memory budget").isZero());
    soon(2).until(() -> limiter(gw, "in_flight", route.target(target)) == 0
        && limiter(gw, "waiting", route.target(target)) == 0);
    JsonNode idempotency = admin(gw, "/admin/stores").get("stores").get("idempotency");
    if (idempotency.hasNonNull("in_flight")) {
      assertThat(idempotency.get("in_flight").asInt()).isZero();
    }
  }

  /**
   * The next request is answered at once: with one place and one connection, a place or a connection still held
   * would keep it waiting (and shed it after the queue's timeout or the pool's 250 ms).
   */
  private void assertTheNextRequestIsServedAtOnce(GatewayHarness gw, EveryRoute route, String target) {
    up.reset();
    EveryRoute.serve(up, target, 0);
    long start = System.nanoTime();
    Res next = route.call(gw.http, target);
    assertThat(route.completed(next)).as(next.body()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  static double limiter(GatewayHarness gw, String gauge, String target) {
    return MetricSamples.scrape(gw).value("reliapi_concurrency_" + gauge, "target", target);
  }

  static JsonNode admin(GatewayHarness gw, String path) {
    return gw.http.get(path, "X-API-Key", "admin-k").json();
  }

  /** What the target {@code api} spent and holds reserved today. */
  private static double spentUsd(GatewayHarness gw) {
    for (JsonNode budget : admin(gw, "/admin/budgets").get("budgets")) {
      if (budget.get("name").asText().equals("api")) {
        return budget.get("spent_usd").asDouble();
      }
    }
    throw new AssertionError("no budget of the target api");
  }
}
