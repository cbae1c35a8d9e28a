package io.reliapi.store.redis;

import static io.reliapi.store.redis.StreamHangUpAcross.assertWhole;
import static io.reliapi.store.redis.StreamHangUpAcross.leading;
import static io.reliapi.store.redis.StreamHangUpAcross.readOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keyed LLM stream's key led again across instances sharing Redis (docs/guarantees.md, "A client that hangs up"):
 * after the first leader released the key (the provider's final 429), a duplicate that became the leader no longer
 * counts as waiting on its own stream, and one that waits on is counted by the new leader at once, by its mark.
 */
class StreamLedAgainAcrossInstancesEndToEndTest {
  @RegisterExtension
  static final StreamHangUpAcross across = new StreamHangUpAcross();

  @Test
  void aWaiterThatBecameTheLeaderStopsItsStreamWhenItsOwnClientHangsUp() throws IOException {
    String key = across.key("turned-leader");
    CompletableFuture<Void> rateLimit = new CompletableFuture<>();
    across.ledAgain(rateLimit, 1); // the role chunk only: the stream has not started when its client hangs up
    try (PendingStream first = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> across.two.up.count("/v1/chat/completions") == 1);
      try (PendingStream waiter = StreamRoute.V1.openKeyed(across.two.b, "openai", key)) {
        across.marked(key, 1);
        rateLimit.complete(null);
        // The first leader released the key; the waiter on B claimed it and leads.
        await().atMost(Duration.ofSeconds(5)).until(() -> across.two.up.count("/v1/chat/completions") == 2);
      }
    }
    await("nobody waits: the provider stream is reset").atMost(Duration.ofSeconds(5))
        .untilTrue(across.providerClosed);
    assertThat(across.ranOnMarks("ZCOUNT", key)).as("B asked who waits").isEqualTo(1);
    across.marked(key, 0);
  }

  @Test
  void aDuplicateThatWaitsAgainOnTheKeysNextLeaderIsCountedByIt() throws IOException {
    String key = across.key("waits-again");
    CompletableFuture<Void> rateLimit = new CompletableFuture<>();
    across.ledAgain(rateLimit, 2); // the role chunk and the first token
    try (PendingStream first = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> across.two.up.count("/v1/chat/completions") == 1);
      try (PendingStream one = StreamRoute.V1.openKeyed(across.two.a, "openai", key);
          PendingStream other = StreamRoute.V1.openKeyed(across.two.a, "openai", key)) {
        // Each read the claim claiming and as its wait began, counted on the first leader's stream here, and marked
        // for its whole wait, so whichever leads the key next counts the other at once.
        await().atMost(Duration.ofSeconds(5)).until(() -> across.monitor.ran(readOf(key)) == 4);
        across.marked(key, 2);
        rateLimit.complete(null);
        // One duplicate leads the key now; the other waits again, on it.
        PendingStream leader = leading(one, other);
        PendingStream waiting = leader == one ? other : one;
        leader.close();
        across.hangUpHandled(key);
        assertThat(across.ranOnMarks("ZCOUNT", key)).as("A asked who waits").isEqualTo(1);
        assertThat(across.providerClosed).as("a duplicate still waits for the stream").isFalse();
        across.gate.complete(null);

        assertWhole(waiting.finish());
      }
    }
    assertThat(across.two.up.count("/v1/chat/completions")).isEqualTo(2);
  }
}
