package io.reliapi.server;

import static io.reliapi.server.HangUpEndToEndTest.assertNothingHeld;
import static io.reliapi.server.HangUpEndToEndTest.limiter;
import static io.reliapi.server.HangUpEndToEndTest.soon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.server.HangUpEndToEndTest.Store;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a keyed request whose client hangs up, or that fails before anything was sent, leaves in its client's quota
 * of idempotency records ({@code clients[].quota.idempotency_records}), in memory and in Redis, on every route that
 * reaches an upstream (the sibling of {@link HangUpEndToEndTest}, whose checks of what is held it shares). The
 * client {@code solo} may hold one record and {@code pair} two; each test starts on a fresh day, past every record's
 * TTL, so a test's client holds nothing but what the test makes. A place left behind shows as 429
 * {@code QUOTA_EXCEEDED} on the next request with a new key. The documented rules (docs/guides/idempotency.md): a
 * request that never claimed its key (body still arriving) or waited on another's claim holds no place; a claim
 * released (a failure before sending, a stream stopped before it went out, a broken stream whose key the target
 * forwards) gives its place back; a keyed whole request is carried on when its client hangs up and its answer kept,
 * so it keeps its place, as does a broken stream, whose outcome is unknown.
 */
class HangUpQuotaEndToEndTest {
  static final String SOLO_KEY = "solo-k";
  static final String PAIR_KEY = "pair-k";
  static final String FORWARDS_KEY = "idempotency: {forward_header: Idempotency-Key}\n";
  static final List<String> EVENTS = HangUpEndToEndTest.EVENTS;
  private static final AtomicInteger KEYS = new AtomicInteger();
  static MockUpstream up;
  static StorePair stores;
  static GatewayHarness memory;
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    String refused = "http://127.0.0.1:" + FreePort.refused();
    String config = "admin: {keys_env: ADMIN_KEYS}\n"
        + "clients:\n"
        + "  - {name: solo, key_env: SOLO_KEY, quota: {idempotency_records: 1}}\n"
        + "  - {name: pair, key_env: PAIR_KEY, quota: {idempotency_records: 2}}\n"
        + "targets:\n"
        + EveryRoute.targets(up.baseUrl(), "q", HangUpEndToEndTest.EXTRAS, "")
        + EveryRoute.targets(up.baseUrl(), "fwd", HangUpEndToEndTest.EXTRAS + FORWARDS_KEY, "")
        + EveryRoute.targets(refused, "gone", TestYaml.ONE_ATTEMPT, "");
    stores = StorePair.start(config, Map.of("ADMIN_KEYS", "admin-k", "SOLO_KEY", SOLO_KEY, "PAIR_KEY", PAIR_KEY));
    memory = stores.memory;
  }

  @AfterAll
  static void stop() {
    stores.close();
    up.close();
  }

  @BeforeEach
  void holdEveryCallOnAFreshDay() {
    // Past the records' TTL (24 h by default): the previous tests' records no longer count.
    stores.advance(Duration.ofDays(2));
    up.reset();
    EveryRoute.hold(up, held, "q", "fwd");
  }

  @AfterEach
  void letHeldCallsGo() {
    EveryRoute.letGo(held);
  }

  static GatewayHarness gateway(Store store) {
    return stores.gateway(store);
  }

  static Stream<Arguments> wholeInEachStore() {
    return inEachStore(EveryRoute.upstreamed().stream().filter(r -> !r.stream));
  }

  static Stream<Arguments> streamsInEachStore() {
    return inEachStore(HangUpEndToEndTest.llmStreams().stream());
  }

  private static Stream<Arguments> inEachStore(Stream<EveryRoute> routes) {
    return routes.flatMap(route -> Arrays.stream(Store.values()).map(store -> Arguments.of(route, store)));
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.HangUpEndToEndTest#upstreamedInEachStore")
  void aKeyedRequestWhoseClientHangsUpWhileItsBodyIsArrivingTakesNoPlace(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    try (HangingClient client = HangingClient.sendHalf(gw.port(), route, "q", keyedBy(SOLO_KEY, newKey()))) {
      soon(5).until(() -> gw.gateway().inFlight() == 1);
    }
    assertNothingHeld(gw, route, "q");
    assertThat(up.count(route.upstreamPath("q"))).isZero();
    assertRoomForExactlyOneNewKey(gw, route, "q", SOLO_KEY);
  }

  @ParameterizedTest
  @MethodSource("streamsInEachStore")
  void aKeyedStreamQueuedForAConcurrencyPlaceWhoseClientHangsUpGivesItsPlaceBack(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    // The request holding the concurrency place has no key: it takes no place of the quota.
    CompletableFuture<Res> first = route.callAsync(gw.http, "q", "X-API-Key", SOLO_KEY);
    soon(5).until(() -> held.size() == 1);
    try (HangingClient client = HangingClient.send(gw.port(), route, "q", keyedBy(SOLO_KEY, newKey()))) {
      soon(5).until(() -> limiter(gw, "waiting", route.target("q")) == 1);
    }
    // A stream is not carried on without its client: it leaves the queue at once and its key is released.
    soon(2).until(() -> limiter(gw, "waiting", route.target("q")) == 0);
    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    assertNothingHeld(gw, route, "q");
    assertThat(up.count(route.upstreamPath("q"))).isEqualTo(1);
    assertRoomForExactlyOneNewKey(gw, route, "q", SOLO_KEY);
  }

  @ParameterizedTest
  @MethodSource("wholeInEachStore")
  void aKeyedWholeRequestQueuedForAConcurrencyPlaceWhoseClientHangsUpIsCarriedOnAndKeepsItsPlace(EveryRoute route,
      Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    CompletableFuture<Res> first = route.callAsync(gw.http, "q", "X-API-Key", SOLO_KEY);
    soon(5).until(() -> held.size() == 1);
    try (HangingClient client = HangingClient.send(gw.port(), route, "q", keyedBy(SOLO_KEY, key))) {
      soon(5).until(() -> limiter(gw, "waiting", route.target("q")) == 1);
    }
    // Time for the gateway to see the hang-up; the keyed request stays queued all the same.
    await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    assertThat(limiter(gw, "waiting", route.target("q"))).isEqualTo(1);
    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    soon(5).until(() -> held.size() == 1);
    route.answer().respond(held.poll());
    assertNothingHeld(gw, route, "q");
    assertThat(up.count(route.upstreamPath("q"))).isEqualTo(2);
    assertKeptAndNoRoomForANewKey(gw, route, "q", key);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.HangUpEndToEndTest#upstreamedInEachStore")
  void aDuplicateWaitingOnAKeyWhoseClientHangsUpTakesNoPlace(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    CompletableFuture<Res> first = route.callAsync(gw.http, "q", keyedBy(PAIR_KEY, key));
    soon(5).until(() -> held.size() == 1);
    try (HangingClient duplicate = HangingClient.send(gw.port(), route, "q", keyedBy(PAIR_KEY, key))) {
      soon(5).until(() -> gw.gateway().inFlight() == 2);
      // Time for the duplicate to reach the key and wait on it.
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
    }
    soon(2).until(() -> gw.gateway().inFlight() == 1);
    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    assertNothingHeld(gw, route, "q");
    // The first request's record holds one of the client's two places; the duplicate held none.
    assertRoomForExactlyOneNewKey(gw, route, "q", PAIR_KEY);
  }

  @ParameterizedTest
  @MethodSource("wholeInEachStore")
  void aKeyedWholeRequestWhoseClientHangsUpInFlightIsCarriedOnStoredAndKeepsItsPlace(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    try (HangingClient client = HangingClient.send(gw.port(), route, "q", keyedBy(SOLO_KEY, key))) {
      soon(5).until(() -> held.size() == 1);
    }
    // Time for the gateway to see the hang-up before the upstream answers.
    await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    MockUpstream.Call call = held.poll();
    assertThat(call.request().response().closed()).as("the call is carried on, not reset").isFalse();
    route.answer().respond(call);
    assertNothingHeld(gw, route, "q");
    assertThat(up.count(route.upstreamPath("q"))).isEqualTo(1);
    assertKeptAndNoRoomForANewKey(gw, route, "q", key);
  }

  @ParameterizedTest
  @MethodSource("streamsInEachStore")
  void aKeyedStreamWhoseClientHangsUpBeforeItsFirstEventIsResetAndKeepsItsPlaceAsAnUnknownOutcome(EveryRoute route,
      Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    hangUpWhileTheCallIsInFlight(gw, route, "q", key);
    assertNothingHeld(gw, route, "q");
    assertUnknownAndNoRoomForANewKey(gw, route, "q", key);
  }

  @ParameterizedTest
  @MethodSource("streamsInEachStore")
  void aKeyedStreamWhoseKeyIsForwardedAndWhoseClientHangsUpBeforeItsFirstEventGivesItsPlaceBack(EveryRoute route,
      Store store) {
    GatewayHarness gw = gateway(store);
    hangUpWhileTheCallIsInFlight(gw, route, "fwd", newKey());
    assertNothingHeld(gw, route, "fwd");
    assertRoomForExactlyOneNewKey(gw, route, "fwd", SOLO_KEY);
  }

  @ParameterizedTest
  @MethodSource("streamsInEachStore")
  void aKeyedStreamWhoseClientHangsUpMidStreamKeepsItsPlaceAsAnUnknownOutcome(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    hangUpMidStream(gw, route, "q", key);
    assertNothingHeld(gw, route, "q");
    assertUnknownAndNoRoomForANewKey(gw, route, "q", key);
  }

  @ParameterizedTest
  @MethodSource("streamsInEachStore")
  void aKeyedStreamWhoseKeyIsForwardedAndWhoseClientHangsUpMidStreamGivesItsPlaceBack(EveryRoute route,
      Store store) {
    GatewayHarness gw = gateway(store);
    hangUpMidStream(gw, route, "fwd", newKey());
    assertNothingHeld(gw, route, "fwd");
    assertRoomForExactlyOneNewKey(gw, route, "fwd", SOLO_KEY);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.HangUpEndToEndTest#upstreamedInEachStore")
  void aKeyedRequestRefusedBeforeAnythingWasSentReleasesItsKeyAndItsPlace(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String key = newKey();
    for (int attempt = 0; attempt < 2; attempt++) {
      // The second time proves the key was released: it executes again rather than replaying or answering 504.
      Res refused = route.call(gw.http, "gone", keyedBy(SOLO_KEY, key));
      assertThat(refused.status()).as(refused.body()).isEqualTo(502);
      assertThat(route.code(refused)).isEqualTo("NETWORK_ERROR");
    }
    assertNothingHeld(gw, route, "gone");
    assertRoomForExactlyOneNewKey(gw, route, "q", SOLO_KEY);
  }

  /** Sends a keyed stream to {@code target} and hangs up once the provider has the call; the call is then reset. */
  private void hangUpWhileTheCallIsInFlight(GatewayHarness gw, EveryRoute route, String target, String key) {
    try (HangingClient client = HangingClient.send(gw.port(), route, target, keyedBy(SOLO_KEY, key))) {
      soon(5).until(() -> held.size() == 1);
    }
    MockUpstream.Call call = held.poll();
    soon(2).until(() -> call.request().response().closed());
  }

  /** Sends a keyed stream to {@code target}, reads its first words and hangs up while the provider holds the rest. */
  private void hangUpMidStream(GatewayHarness gw, EveryRoute route, String target, String key) {
    up.reset();
    up.otherwise("POST " + route.upstreamPath(target),
        LlmBehaviors.sseGated(EVENTS.subList(0, 2), new CompletableFuture<>(), EVENTS.subList(2, EVENTS.size()), false));
    try (HangingClient client = HangingClient.send(gw.port(), route, target, keyedBy(SOLO_KEY, key))) {
      client.readUntil("Hi");
    }
  }

  /** The client's quota has room for one new key, not two: the first is served, the second refused. */
  private static void assertRoomForExactlyOneNewKey(GatewayHarness gw, EveryRoute route, String target,
      String client) {
    Res next = serveAndCall(gw, route, target, keyedBy(client, newKey()));
    assertThat(route.completed(next)).as(next.body()).isTrue();
    assertNoRoomForANewKey(gw, route, target, client);
  }

  /** The request's answer is kept for its key (its retry replays it), and so its record keeps its place. */
  private static void assertKeptAndNoRoomForANewKey(GatewayHarness gw, EveryRoute route, String target, String key) {
    Res retry = serveAndCall(gw, route, target, keyedBy(SOLO_KEY, key));
    assertThat(route.completed(retry)).as(retry.body()).isTrue();
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertNoRoomForANewKey(gw, route, target, SOLO_KEY);
  }

  /** The key's outcome is unknown (its repeat is 504, nothing sent), and so its record keeps its place. */
  private static void assertUnknownAndNoRoomForANewKey(GatewayHarness gw, EveryRoute route, String target,
      String key) {
    Res repeat = serveAndCall(gw, route, target, keyedBy(SOLO_KEY, key));
    assertThat(repeat.status()).as(repeat.body()).isEqualTo(504);
    assertThat(route.code(repeat)).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertNoRoomForANewKey(gw, route, target, SOLO_KEY);
  }

  private static void assertNoRoomForANewKey(GatewayHarness gw, EveryRoute route, String target, String client) {
    Res refused = serveAndCall(gw, route, target, keyedBy(client, newKey()));
    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(route.code(refused)).isEqualTo("QUOTA_EXCEEDED");
    assertThat(refused.header("Retry-After")).isNotBlank();
    assertThat(up.count(route.upstreamPath(target))).isZero();
  }

  private static Res serveAndCall(GatewayHarness gw, EveryRoute route, String target, String... headers) {
    up.reset();
    EveryRoute.serve(up, target, 0);
    return route.call(gw.http, target, headers);
  }

  /**
   * The headers of a keyed request of the client with {@code apiKey}; the JSON content type is the raw client's
   * too, and a {@code /t/} body's fingerprint takes it in.
   */
  private static String[] keyedBy(String apiKey, String key) {
    return new String[] {"X-API-Key", apiKey, "Idempotency-Key", key, "Content-Type", "application/json"};
  }

  private static String newKey() {
    return "quota-" + KEYS.incrementAndGet();
  }
}
