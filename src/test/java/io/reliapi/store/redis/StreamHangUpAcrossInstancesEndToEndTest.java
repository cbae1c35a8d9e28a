package io.reliapi.store.redis;

import static io.reliapi.store.redis.StreamHangUpAcross.assertOutcomeUnknown;
import static io.reliapi.store.redis.StreamHangUpAcross.assertWhole;
import static io.reliapi.store.redis.StreamHangUpAcross.duplicate;
import static io.reliapi.store.redis.StreamHangUpAcross.names;
import static io.reliapi.store.redis.StreamHangUpAcross.readOf;
import static io.reliapi.store.redis.StreamHangUpAcross.waitersKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A keyed LLM stream whose client hangs up mid-stream on gateway A while a duplicate of its key waits on gateway B,
 * both on one real Redis (docs/guarantees.md, "A client that hangs up"): B's duplicate is marked waiting in Redis, so
 * A reads the provider's stream on, keeps it and B replays it; a duplicate that stopped waiting, or whose mark ran
 * out (its instance died), leaves the stream to stop with its client, and a later repeat gets the documented 504.
 * The key led again is {@link StreamLedAgainAcrossInstancesEndToEndTest}'s.
 */
class StreamHangUpAcrossInstancesEndToEndTest {
  @RegisterExtension
  static final StreamHangUpAcross across = new StreamHangUpAcross();

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aDuplicateWaitingOnAnotherInstanceGetsTheWholeStreamWhenTheLeadersClientHangsUp(StreamRoute route)
      throws IOException {
    String key = across.key("across-" + route);
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = route.openKeyed(across.two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(route, across.two.b, key);
      across.waitingOnB(key);
    }
    across.hangUpHandled(key);
    across.gate.complete(null);

    Streamed replayed = elsewhere.join();
    assertWhole(replayed);
    assertThat(replayed.starts()).isEqualTo(1);
    Streamed later = route.call(across.two.a, "openai", "Idempotency-Key", key);
    assertWhole(later);
    assertThat(names(later)).as("the same stream, kept").isEqualTo(names(replayed));
    assertThat(across.two.up.count("/v1/chat/completions")).as("one provider stream").isEqualTo(1);
    across.marked(key, 0);
    assertThat(across.ranOnMarks("ZADD", key)).as("one mark").isEqualTo(1);
    assertThat(across.ranOnMarks("ZREM", key)).as("removed once").isEqualTo(1);
    assertThat(across.ranOnMarks("ZCOUNT", key)).as("asked once").isEqualTo(1);
  }

  @Test
  void aDuplicateOnAnotherInstanceKeepsTheStreamAfterTheOnesOnTheLeadersOwnInstanceHaveGone()
      throws IOException {
    String key = across.key("across-and-here");
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(StreamRoute.V1, across.two.b, key);
      across.waitingOnB(key);
      try (PendingStream here = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> across.monitor.ran(readOf(key)) == 4);
        across.marked(key, 2); // every duplicate is marked; the one here is counted by its leader too
        leader.close();
      }
    }
    across.hangUpHandled(key);
    across.gate.complete(null);

    assertWhole(elsewhere.join());
    assertThat(across.two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "RAW"})
  void aDuplicateThatStoppedWaitingOnAnotherInstanceLeavesTheStreamToStopWithItsClient(StreamRoute route)
      throws IOException {
    String key = across.key("left-" + route);
    try (PendingStream leader = route.openKeyed(across.two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      try (PendingStream waiting = route.openKeyed(across.two.b, "openai", key)) {
        across.marked(key, 1);
      }
      across.marked(key, 0);
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(across.providerClosed);

    assertOutcomeUnknown(route.call(across.two.b, "openai", "Idempotency-Key", key));
    assertThat(across.two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aLeaderThatCannotAskRedisStopsTheStreamAsBefore() throws IOException {
    String key = across.key("no-answer");
    CompletableFuture<Streamed> elsewhere;
    try (PendingStream leader = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      elsewhere = duplicate(StreamRoute.V1, across.two.b, key);
      across.marked(key, 1);
      // Scripts wait past the command time limit (1 s): the leader's question goes unanswered.
      across.two.redis.command("CLIENT PAUSE 4000 WRITE");
    }
    try {
      await().atMost(Duration.ofMillis(3_500)).untilTrue(across.providerClosed);
    } finally {
      across.two.redis.command("CLIENT UNPAUSE");
    }

    assertOutcomeUnknown(elsewhere.join());
    assertThat(across.two.up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "RAW"})
  void theMarkOfAWaiterWhoseInstanceDiedCountsNoLongerThanItsWait(StreamRoute route) throws IOException {
    String key = across.key("dead-" + route);
    try (PendingStream leader = route.openKeyed(across.two.a, "openai", key)) {
      leader.readUntil("Hel", 1);
      // What a waiter leaves behind when its instance dies mid-wait: a mark nobody removes, whose wait is over.
      across.two.redis.command("ZADD " + waitersKey(key) + " " + (System.currentTimeMillis() - 1_000) + " dead-waiter");
      across.two.redis.command("PEXPIRE " + waitersKey(key) + " 60000");
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(across.providerClosed);

    assertOutcomeUnknown(route.call(across.two.b, "openai", "Idempotency-Key", key));
  }
}
