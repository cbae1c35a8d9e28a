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
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the tests of a keyed LLM stream hanging up across instances share: gateways A and B on one Redis (watched),
 * a provider whose stream sends its first events and then waits for {@link #gate}, and what they wait for and check.
 * Registered on a static field ({@code @RegisterExtension}): it starts them before the class's tests, scripts the
 * provider afresh before each, and closes them after the last.
 */
final class StreamHangUpAcross implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  static final String CHAT = "POST /v1/chat/completions";
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3);
  TwoLlmGateways two;
  RedisMonitor monitor;
  private int keys;
  /** Completed to let the provider send the rest of its stream. */
  CompletableFuture<Void> gate;
  /** Set when the gateway resets the provider's stream. */
  AtomicBoolean providerClosed;

  @Override
  public void beforeAll(ExtensionContext context) {
    two = new TwoLlmGateways();
    monitor = RedisMonitor.on(two.redis.port());
  }

  /** Scripts the provider afresh: two events, then the rest once the gate opens. */
  @Override
  public void beforeEach(ExtensionContext context) {
    gate = new CompletableFuture<>();
    providerClosed = new AtomicBoolean();
    two.up.reset();
    Behavior gated = LlmBehaviors.sseGated(EVENTS.subList(0, 2), gate, EVENTS.subList(2, EVENTS.size()), false);
    AtomicBoolean closed = providerClosed;
    two.up.script(CHAT, call -> {
      call.request().response().closeHandler(v -> closed.set(true));
      gated.respond(call);
    });
  }

  /** Returns a key no other test uses. */
  String key(String prefix) {
    return prefix + "-" + keys++;
  }

  /**
   * Scripts the provider for a key led again: the first leader's call gets a final 429 once {@code rateLimit} is
   * completed (releasing the key), the next leader's call streams {@code firstEvents} events, then waits for the gate.
   */
  void ledAgain(CompletableFuture<Void> rateLimit, int firstEvents) {
    two.up.reset();
    Behavior gated = LlmBehaviors.sseGated(EVENTS.subList(0, firstEvents), gate,
        EVENTS.subList(firstEvents, EVENTS.size()), false);
    AtomicBoolean closed = providerClosed;
    two.up.script(CHAT,
        call -> {
          Context context = Vertx.currentContext();
          rateLimit.thenRun(() -> context.runOnContext(v -> LlmBehaviors.openAiRateLimited().respond(call)));
        },
        call -> {
          call.request().response().closeHandler(v -> closed.set(true));
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

  /** Returns how many times Redis ran {@code command} (ZADD, ZREM, ZCOUNT) on {@code key}'s waiter marks. */
  long ranOnMarks(String command, String key) {
    return monitor.ran("\"" + command + "\" \"" + waitersKey(key) + "\"");
  }

  static CompletableFuture<Streamed> duplicate(StreamRoute route, GatewayHarness gateway, String key) {
    return CompletableFuture.supplyAsync(() -> route.call(gateway, "openai", "Idempotency-Key", key),
        task -> Thread.ofPlatform().daemon().start(task));
  }

  /** Waits until {@code waiting} requests are marked waiting on {@code key} in Redis. */
  void marked(String key, int waiting) {
    await().atMost(Duration.ofSeconds(5)).until(() -> two.redis.keyCount(waitersKey(key)) == Math.min(waiting, 1)
        && (waiting == 0 || two.redis.command("ZCARD " + waitersKey(key)).equals(":" + waiting)));
  }

  /**
   * Waits until B's duplicate of {@code key} waits: it read the claim twice, claiming and as its wait began (the
   * Redis store's scripts), and a duplicate is counted (marked) before its wait begins.
   */
  void waitingOnB(String key) {
    await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran(readOf(key)) == 2);
  }

  /** Returns the line of a Redis script reading {@code key}'s record. */
  static String readOf(String key) {
    return "\"HGETALL\" \"" + Keys.idempotency(new IdempotencyScope("anonymous", "openai", key)) + "\"";
  }

  /** Waits until gateway A has dealt with its client's hang-up: asked Redis who waits, or reset the provider. */
  void hangUpHandled(String key) {
    await().atMost(Duration.ofSeconds(5)).until(() -> ranOnMarks("ZCOUNT", key) > 0 || providerClosed.get());
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

  @Override
  public void afterAll(ExtensionContext context) {
    monitor.close();
    two.close();
  }
}
