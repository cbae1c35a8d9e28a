package io.reliapi.server;

import static io.reliapi.server.HangUpEndToEndTest.admin;
import static io.reliapi.server.HangUpEndToEndTest.assertNothingHeld;
import static io.reliapi.server.HangUpEndToEndTest.soon;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.server.HangUpEndToEndTest.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client that hangs up leaves reserved in its LLM token limits and period budgets, and in its target's
 * connection pool (the sibling of {@link HangUpEndToEndTest}, whose checks of what is held it shares). The target
 * {@code lim} (chats) and {@code elim} (embeddings) and the client {@code team} have room for exactly one more
 * attempt of the test's size in a fresh minute and day, not two: a chat reserves about 108 tokens and $0.00006
 * under {@code tpm: 150} and $0.0001; an embedding of "Hello" 1 token and $0.00000002 under {@code tpm: 1} and
 * $0.00000003. So a reservation left behind shows as a 429 on the next request. Each test starts on a fresh day.
 * The documented rule (docs/rate-limits.md, docs/guides/budget-control.md): an attempt that never went out counts
 * for nothing; one that went out counts what the provider reported, or its estimate when that is unknown.
 */
class HangUpReservationsEndToEndTest {
  static final String TEAM_KEY = "team-k";
  static final String FREE_KEY = "free-k";
  static final String CHAT_ROOM = "limits: {tpm: 150}, budget: {daily_usd: 0.0001}";
  static final String EMBEDDING_ROOM = "limits: {tpm: 1}, budget: {daily_usd: 0.00000003}";
  static final List<String> EVENTS = HangUpEndToEndTest.EVENTS;
  static MockUpstream up;
  static StorePair stores;
  static GatewayHarness memory;
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    String config = "admin: {keys_env: ADMIN_KEYS}\n"
        + "clients:\n"
        + "  - {name: team, key_env: TEAM_KEY, " + CHAT_ROOM + "}\n"
        + "  - {name: free, key_env: FREE_KEY}\n"
        + "targets:\n"
        + EveryRoute.targets(up.baseUrl(), "lim", HangUpEndToEndTest.EXTRAS, CHAT_ROOM)
        + EveryRoute.targets(up.baseUrl(), "elim", HangUpEndToEndTest.EXTRAS, EMBEDDING_ROOM)
        + EveryRoute.targets(up.baseUrl(), "pool", TestYaml.ONE_ATTEMPT
            + "max_connections: 1\n", "");
    stores = StorePair.start(config, Map.of("ADMIN_KEYS", "admin-k", "TEAM_KEY", TEAM_KEY, "FREE_KEY", FREE_KEY));
    memory = stores.memory;
  }

  @AfterAll
  static void stop() {
    stores.close();
    up.close();
  }

  @BeforeEach
  void holdEveryCallOnAFreshDay() {
    stores.advance(Duration.ofDays(1));
    up.reset();
    EveryRoute.hold(up, held, "lim", "elim", "pool");
  }

  @AfterEach
  void letHeldCallsGo() {
    EveryRoute.letGo(held);
  }

  static GatewayHarness gateway(Store store) {
    return stores.gateway(store);
  }

  static Stream<Arguments> billedInEachStore() {
    return EveryRoute.billed().stream()
        .flatMap(route -> Arrays.stream(Store.values()).map(store -> Arguments.of(route, store)));
  }

  static Stream<Arguments> billedStreamsInEachStore() {
    return billedInEachStore().filter(args -> ((EveryRoute) args.get()[0]).stream);
  }

  /** The matrix target whose limits and budget fit exactly one more attempt of the route. */
  static String limited(EveryRoute route) {
    return route.kind == EveryRoute.Kind.EMBEDDING ? "elim" : "lim";
  }

  @ParameterizedTest
  @MethodSource("billedInEachStore")
  void aClientThatHangsUpWhileItsBodyIsArrivingReservesNothing(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String target = limited(route);
    try (HangingClient client = HangingClient.sendHalf(gw.port(), route, target, "X-API-Key", TEAM_KEY)) {
      soon(5).until(() -> gw.gateway().inFlight() == 1);
    }
    assertNothingHeld(gw, route, target);
    assertThat(up.count(route.upstreamPath(target))).isZero();
    assertThat(spentUsd(gw, target)).isZero();
    assertTheNextRequestFits(gw, route, target);
  }

  @ParameterizedTest
  @MethodSource("billedInEachStore")
  void aClientThatHangsUpWhileQueuedForAConcurrencyPlaceReservesNothing(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String target = limited(route);
    CompletableFuture<Res> first = route.callAsync(gw.http, target, "X-API-Key", TEAM_KEY);
    soon(5).until(() -> held.size() == 1);
    try (HangingClient client = HangingClient.send(gw.port(), route, target, "X-API-Key", TEAM_KEY)) {
      soon(5).until(() -> HangUpEndToEndTest.limiter(gw, "waiting", route.target(target)) == 1);
    }
    soon(2).until(() -> HangUpEndToEndTest.limiter(gw, "waiting", route.target(target)) == 0);
    // The first call reports no usage, so it is settled to nothing and the room is whole again.
    answeredWithoutUsage(route).respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    assertNothingHeld(gw, route, target);
    assertThat(spentUsd(gw, target)).isZero();
    assertTheNextRequestFits(gw, route, target);
  }

  @ParameterizedTest
  @MethodSource("billedInEachStore")
  void aClientThatHangsUpWhileItsCallIsInFlightKeepsTheEstimateAsOutcomeUnknown(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    String target = limited(route);
    try (HangingClient client = HangingClient.send(gw.port(), route, target, "X-API-Key", TEAM_KEY)) {
      soon(5).until(() -> held.size() == 1);
    }
    MockUpstream.Call call = held.poll();
    soon(2).until(() -> call.request().response().closed());
    assertNothingHeld(gw, route, target);
    double kept = spentUsd(gw, target);
    assertThat(kept).isPositive();
    assertTheNextRequestIsRefused(gw, route, target, "RATE_LIMITED");
    assertThat(spentUsd(gw, target)).isEqualTo(kept);
  }

  @ParameterizedTest
  @MethodSource("billedStreamsInEachStore")
  void aClientThatHangsUpMidStreamIsChargedWhatStreamedAndKeepsItsTokenEstimate(EveryRoute route, Store store) {
    GatewayHarness gw = gateway(store);
    ManualClock clock = stores.clock(store);
    String target = limited(route);
    up.reset();
    up.otherwise("POST " + route.upstreamPath(target),
        LlmBehaviors.sseGated(EVENTS.subList(0, 2), new CompletableFuture<>(), EVENTS.subList(2, EVENTS.size()), false));
    try (HangingClient client = HangingClient.send(gw.port(), route, target, "X-API-Key", TEAM_KEY)) {
      client.readUntil("Hi");
    }
    assertNothingHeld(gw, route, target);
    // The budget is charged what streamed ("Hi" and the prompt), far less than the estimate; the token limit keeps
    // the estimate of a broken stream, whose usage the provider never reported.
    double charged = spentUsd(gw, target);
    assertThat(charged).isPositive().isLessThan(0.00001);
    assertTheNextRequestIsRefused(gw, route, target, "RATE_LIMITED");
    clock.advance(Duration.ofSeconds(61));
    assertTheNextRequestFits(gw, route, target);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aRequestHoldingThePoolsOnlyConnectionAndOneWaitingForItThatHangUpGiveItBack(EveryRoute route) {
    try (HangingClient holder = HangingClient.send(memory.port(), route, "pool", "X-API-Key", FREE_KEY)) {
      soon(5).until(() -> held.size() == 1);
      try (HangingClient waiter = HangingClient.send(memory.port(), route, "pool", "X-API-Key", FREE_KEY)) {
        soon(5).until(() -> memory.gateway().inFlight() == 2);
      }
    }
    soon(2).until(() -> memory.gateway().inFlight() == 0);
    up.reset();
    EveryRoute.serve(up, "pool", 0);
    Res next = route.call(memory.http, "pool", "X-API-Key", FREE_KEY);
    assertThat(route.completed(next)).as(next.body()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aRequestWaitingForThePoolsOnlyConnectionThatHangsUpLeavesItsPlaceToTheNext(EveryRoute route) {
    CompletableFuture<Res> first = route.callAsync(memory.http, "pool", "X-API-Key", FREE_KEY);
    soon(5).until(() -> held.size() == 1);
    try (HangingClient waiter = HangingClient.send(memory.port(), route, "pool", "X-API-Key", FREE_KEY)) {
      soon(5).until(() -> memory.gateway().inFlight() == 2);
    }
    soon(2).until(() -> memory.gateway().inFlight() == 1);
    // The place the waiter left is free: the next request waits for the connection instead of being refused as if
    // the pool were full (it waits at most 250 ms, so the first call is answered as soon as it waits).
    CompletableFuture<Res> next = route.callAsync(memory.http, "pool", "X-API-Key", FREE_KEY);
    soon(2).until(() -> memory.gateway().inFlight() == 2 || next.isDone());
    up.reset();
    EveryRoute.serve(up, "pool", 0);
    route.answer().respond(held.poll());
    assertThat(route.completed(first.join())).isTrue();
    Res answered = next.join();
    assertThat(route.completed(answered)).as(answered.body()).isTrue();
  }

  private static void assertTheNextRequestFits(GatewayHarness gw, EveryRoute route, String target) {
    Res next = serveAndCall(gw, route, target);
    assertThat(route.completed(next)).as(next.body()).isTrue();
  }

  private static void assertTheNextRequestIsRefused(GatewayHarness gw, EveryRoute route, String target, String code) {
    Res next = serveAndCall(gw, route, target);
    assertThat(next.status()).as(next.body()).isEqualTo(429);
    assertThat(route.code(next)).isEqualTo(code);
    assertThat(up.count(route.upstreamPath(target))).isZero();
  }

  private static Res serveAndCall(GatewayHarness gw, EveryRoute route, String target) {
    up.reset();
    EveryRoute.serve(up, target, 0);
    return route.call(gw.http, target, "X-API-Key", TEAM_KEY);
  }

  /** The route's usual answer, but reporting no tokens used. */
  private static Behavior answeredWithoutUsage(EveryRoute route) {
    if (route.kind == EveryRoute.Kind.EMBEDDING) {
      return EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 0);
    }
    return call -> {
      JsonNode sent = Json.parseOrNull(call.recorded().body().getBytes());
      (sent != null && sent.path("stream").asBoolean()
          ? LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 0, 0), 1)
          : LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 0, 0)).respond(call);
    };
  }

  /** What the target spent and holds reserved today. */
  static double spentUsd(GatewayHarness gw, String target) {
    for (JsonNode budget : admin(gw, "/admin/budgets").get("budgets")) {
      if (budget.get("name").asText().equals(target) && budget.path("period").asText("day").equals("day")) {
        return budget.get("spent_usd").asDouble();
      }
    }
    throw new AssertionError("no budget of the target " + target + ": " + admin(gw, "/admin/budgets"));
  }
}
