package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.RedisMonitor;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A keyed LLM stream whose client hangs up mid-stream on gateway A while a duplicate of its key waits on gateway B,
 * both on one real Redis (docs/guarantees.md, "A client that hangs up"): B's duplicate is marked waiting in Redis, so
 * A reads the provider's stream on, keeps it and B replays it; a duplicate that stopped waiting, or whose mark ran
 * out (its instance died), leaves the stream to stop with its client, and a later repeat gets the documented 504.
 * After the first leader released the key (the provider's final 429) and it was led again, a duplicate that became
 * the leader no longer counts as waiting, and one that waits on is counted by the new leader.
 */
class StreamHangUpAcrossInstancesEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3);
  static TwoLlmGateways two;
  static RedisMonitor monitor;
  static int keys;
  final CompletableFuture<Void> gate = new CompletableFuture<>();
  final AtomicBoolean providerClosed = new AtomicBoolean();

  @BeforeAll
  static void start() {
    two = new TwoLlmGateways();
    monitor = RedisMonitor.on(two.redis.port());
  }

  @AfterAll
  static void stop() {
    monitor.close();
    two.close();
  }

  @BeforeEach
  void clean() {
    two.up.reset();
    Behavior gated = LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, EVENTS.subList(2, EVENTS.size()), false);
    two.up.script(CHAT, call -> {
      call.request().response().closeHandler(v -> providerClosed.set(true));
      gated.respond(call);
    });
  }

  /**
   * Scripts the provider for a key led again: the first leader's call gets a final 429 once {@code rateLimit} is
   * completed (releasing the key), the next leader's call streams {@code firstEvents} events, then waits for the gate.
   */
  void ledAgain(CompletableFuture<Void> rateLimit, int firstEvents) {
    two.up.reset();
    Behavior gated = LlmBehaviors.sseGated(EVENTS.subList(0, firstEvents), gate,
        EVENTS.subList(firstEvents, EVENTS.size()), false);
    two.up.script(CHAT,
        call -> {
          Context context = Vertx.currentContext();
          rateLimit.thenRun(() -> context.runOnContext(v -> LlmBehaviors.openAiRateLimited().respond(call)));
        },
        call -> {
          call.request().response().closeHandler(v -> providerClosed.set(true));
          gated.respond(call);
        });
  }

  /** Returns which of {@code one} and {@code other} the next leader's stream reached (its first token). */
  static PendingStream leading(PendingStream one, PendingStream other) {
    StringBuilder toOne = new StringBuilder();
    StringBuilder toOther = new StringBuilder();
    return await().atMost(Duration.ofSeconds(5)).until(() -> {
      if (toOne.append(one.readFor(Duration.ofMillis(20))).indexOf("Hel") >= 0) {
        return one;
      }
      return toOther.append(other.readFor(Duration.ofMillis(20))).indexOf("Hel") >= 0 ? other : null;
    }, Objects::nonNull);
  }

  static String waitersKey(String key) {
    return Keys.idempotencyWaiters(new IdempotencyScope("anonymous", "openai", key));
  }

  static CompletableFuture<Streamed> duplicate(StreamRoute route, GatewayHarness gateway, String key) {
    return CompletableFuture.supplyAsync(() -> route.call(gateway, "openai", "Idempotency-Key", key),
        task -> Thread.ofPlatform().daemon().start(task));
  }

  /** Waits until {@code waiting} requests are marked waiting on {@code key} in Redis. */
  static void marked(String key, int waiting) {
    await().atMost(Duration.ofSeconds(5)).until(() -> two.redis.keyCount(waitersKey(key)) == Math.min(waiting, 1)
        && (waiting == 0 || two.redis.command("ZCARD " + waitersKey(key)).equals(":" + waiting)));
  }

  /**
   * Waits until B's duplicate of {@code key} waits: it read the claim twice, claiming and as its wait began (the
   * Redis store's scripts), and a duplicate is counted (marked) before its wait begins.
   */
  static void waitingOnB(String key) {
    await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran(readOf(key)) == 2);
  }

  /** Returns the line of a Redis script reading {@code key}'s record. */
  static String readOf(String key) {
    return "\"HGETALL\" \"" + Keys.idempotency(new IdempotencyScope("anonymous", "openai", key)) + "\"";
  }

  /** Waits until gateway A has dealt with its client's hang-up: asked Redis who waits, or reset the provider. */
  void hangUpHandled(String key) {
    await().atMost(Duration.ofSeconds(5))
        .until(() -> monitor.ran("\"ZCOUNT\" \"" + waitersKey(key) + "\"") > 0 || providerClosed.get());
  }

  static void assertWhole(Streamed answer) {
    assertThat(answer.whole()).as("a whole answer: %s %s %s", answer.status(), answer.error(), answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello!");
  }

  /** Returns the names of the events of {@code answer} (their data may tell of the request, or the time). */
  static List<String> names(Streamed answer) {
    return answer.events().stream().map(SseEvents.Event::name).toList();
  }

  static void assertOutcomeUnknown(Streamed answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(504);
    assertThat(answer.body()).contains("IDEMPOTENCY_OUTCOME_UNKNOWN");
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aDuplicateWaitingOnAnotherInstanceGetsTheWholeStreamWhenTheLeadersClientHangsUp(StreamRoute route)
      throws IOException {
    String key = "across-" + route + "-" + keys++;
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = route.openKeyed(two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(route, two.b, key);
      waitingOnB(key);
    }
    hangUpHandled(key);
    gate.complete(null);

    Streamed replayed = elsewhere.join();
    assertWhole(replayed);
    assertThat(replayed.starts()).isEqualTo(1);
    Streamed later = route.call(two.a, "openai", "Idempotency-Key", key);
    assertWhole(later);
    assertThat(names(later)).as("the same stream, kept").isEqualTo(names(replayed));
    assertThat(two.up.count("/v1/chat/completions")).as("one provider stream").isEqualTo(1);
    marked(key, 0);
    assertThat(monitor.ran("\"ZADD\" \"" + waitersKey(key) + "\"")).as("one mark").isEqualTo(1);
    assertThat(monitor.ran("\"ZREM\" \"" + waitersKey(key) + "\"")).as("removed once").isEqualTo(1);
    assertThat(monitor.ran("\"ZCOUNT\" \"" + waitersKey(key) + "\"")).as("asked once").isEqualTo(1);
  }

  @Test
  void aDuplicateOnAnotherInstanceKeepsTheStreamAfterTheOnesOnTheLeadersOwnInstanceHaveGone()
      throws IOException {
    String key = "across-and-here-" + keys++;
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(StreamRoute.V1, two.b, key);
      waitingOnB(key);
      try (PendingStream here = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran(readOf(key)) == 4);
        marked(key, 2); // every duplicate is marked; the one here is counted by its leader too
        leader.close();
      }
    }
    hangUpHandled(key);
    gate.complete(null);

    assertWhole(elsewhere.join());
    assertThat(two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "RAW"})
  void aDuplicateThatStoppedWaitingOnAnotherInstanceLeavesTheStreamToStopWithItsClient(StreamRoute route)
      throws IOException {
    String key = "left-" + route + "-" + keys++;
    try (PendingStream leader = route.openKeyed(two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      try (PendingStream waiting = route.openKeyed(two.b, "openai", key)) {
        marked(key, 1);
      }
      marked(key, 0);
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);

    assertOutcomeUnknown(route.call(two.b, "openai", "Idempotency-Key", key));
    assertThat(two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aLeaderThatCannotAskRedisStopsTheStreamAsBefore() throws IOException {
    String key = "no-answer-" + keys++;
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(StreamRoute.V1, two.b, key);
      marked(key, 1);
      // Scripts wait past the command time limit (1 s): the leader's question goes unanswered.
      two.redis.command("CLIENT PAUSE 4000 WRITE");
    }
    try {
      await().atMost(Duration.ofMillis(3_500)).untilTrue(providerClosed);
    } finally {
      two.redis.command("CLIENT UNPAUSE");
    }

    assertOutcomeUnknown(elsewhere.join());
    assertThat(two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "RAW"})
  void theMarkOfAWaiterWhoseInstanceDiedCountsNoLongerThanItsWait(StreamRoute route) throws IOException {
    String key = "dead-" + route + "-" + keys++;
    try (PendingStream leader = route.openKeyed(two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      // What a waiter leaves behind when its instance dies mid-wait: a mark nobody removes, whose wait is over.
      two.redis.command("ZADD " + waitersKey(key) + " " + (System.currentTimeMillis() - 1_000) + " dead-waiter");
      two.redis.command("PEXPIRE " + waitersKey(key) + " 60000");
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);

    assertOutcomeUnknown(route.call(two.b, "openai", "Idempotency-Key", key));
  }

  @Test
  void aWaiterThatBecameTheLeaderStopsItsStreamWhenItsOwnClientHangsUp() throws IOException {
    String key = "turned-leader-" + keys++;
    CompletableFuture<Void> rateLimit = new CompletableFuture<>();
    ledAgain(rateLimit, 1); // the role chunk only: the stream has not started when its client hangs up
    try (PendingStream first = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> two.up.count("/v1/chat/completions") == 1);
      try (PendingStream waiter = StreamRoute.V1.openKeyed(two.b, "openai", key)) {
        marked(key, 1);
        rateLimit.complete(null);
        // The first leader released the key; the waiter on B claimed it and leads.
        await().atMost(Duration.ofSeconds(5)).until(() -> two.up.count("/v1/chat/completions") == 2);
      }
    }
    await("nobody waits: the provider stream is reset").atMost(Duration.ofSeconds(5)).untilTrue(providerClosed);
    assertThat(monitor.ran("\"ZCOUNT\" \"" + waitersKey(key) + "\"")).as("B asked who waits").isEqualTo(1);
    marked(key, 0);
  }

  @Test
  void aDuplicateThatWaitsAgainOnTheKeysNextLeaderIsCountedByIt() throws IOException {
    String key = "waits-again-" + keys++;
    CompletableFuture<Void> rateLimit = new CompletableFuture<>();
    ledAgain(rateLimit, 2); // the role chunk and the first token
    try (PendingStream first = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> two.up.count("/v1/chat/completions") == 1);
      try (PendingStream one = StreamRoute.V1.openKeyed(two.a, "openai", key);
          PendingStream other = StreamRoute.V1.openKeyed(two.a, "openai", key)) {
        // Each read the claim claiming and as its wait began, counted on the first leader's stream here, and marked
        // for its whole wait, so whichever leads the key next counts the other at once.
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran(readOf(key)) == 4);
        marked(key, 2);
        rateLimit.complete(null);
        // One duplicate leads the key now; the other waits again, on it.
        PendingStream leader = leading(one, other);
        PendingStream waiting = leader == one ? other : one;
        leader.close();
        hangUpHandled(key);
        assertThat(monitor.ran("\"ZCOUNT\" \"" + waitersKey(key) + "\"")).as("A asked who waits").isEqualTo(1);
        assertThat(providerClosed).as("a duplicate still waits for the stream").isFalse();
        gate.complete(null);

        assertWhole(waiting.finish());
      }
    }
    assertThat(two.up.count("/v1/chat/completions")).isEqualTo(2);
  }
}
