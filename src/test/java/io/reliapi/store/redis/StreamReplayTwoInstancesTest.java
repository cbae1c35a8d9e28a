package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.ChunkStream;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed LLM answers kept in Redis and replayed by another gateway instance (issue 11 item 4, issue 13
 * item 6): a keyed stream runs once across both instances, and a stream cached by one is a hit on the other.
 * Real sockets, real concurrency, a real redis-server.
 */
class StreamReplayTwoInstancesTest {
  static final String CHAT = "POST /v1/chat/completions";
  static TwoLlmGateways two;
  static RedisServer redis;
  static MockUpstream up;
  static GatewayHarness a;
  static GatewayHarness b;

  @BeforeAll
  static void start() {
    two = new TwoLlmGateways();
    redis = two.redis;
    up = two.up;
    a = two.a;
    b = two.b;
  }

  @AfterAll
  static void stop() {
    two.close();
  }

  @BeforeEach
  void clean() {
    redis.command("FLUSHALL");
    up.reset();
  }

  static String v1(String target, boolean usage) {
    return "{\"model\": \"" + target + "/gpt-4o-mini\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}]" + (usage ? ", \"stream_options\": {\"include_usage\": true}" : "") + "}";
  }

  static void streams(long gapMs) {
    up.script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3),
        gapMs));
  }

  @Test
  void aKeyedStreamRunOnOneInstanceIsReplayedAsAStreamByTheOther() {
    streams(1);
    Res first = a.http.post("/v1/chat/completions", v1("openai", true), "Idempotency-Key", "two-1");
    Res replay = b.http.post("/v1/chat/completions", v1("openai", true), "Idempotency-Key", "two-1");

    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    ChunkStream live = ChunkStream.of(first.body());
    ChunkStream replayed = ChunkStream.of(replay.body());
    assertThat(replayed.text()).isEqualTo(live.text()).isEqualTo("Hello!");
    assertThat(replayed.usage()).isEqualTo(live.usage());
    assertThat(replayed.done()).isTrue();
  }

  @Test
  void keyedDuplicatesSpreadOverBothInstancesMakeOneUpstreamCallAndAllGetTheStream() {
    streams(40);
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      GatewayHarness gw = i % 2 == 0 ? a : b;
      sent.add(gw.http.postAsync("/v1/chat/completions", v1("openai", false), "Idempotency-Key", "two-10"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(ChunkStream.of(r.body()).text()).isEqualTo("Hello!");
      assertThat(ChunkStream.of(r.body()).done()).isTrue();
    });
    assertThat(answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count()).isEqualTo(9);
  }

  @Test
  void aKeyedStreamThatBrokeOnOneInstanceIsAnUnknownOutcomeOnTheOther() {
    List<String> firstTwo = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 9, 2).subList(0, 2);
    up.script(CHAT, LlmBehaviors.sseThenReset(firstTwo, 1));
    String proxy = "{\"target\": \"openai\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    Res broken = a.http.post("/proxy/llm", proxy, "Idempotency-Key", "two-broken");
    Res later = b.http.post("/proxy/llm", proxy, "Idempotency-Key", "two-broken");

    assertThat(SseEvents.names(SseEvents.parse(broken.body()))).containsExactly("meta", "chunk", "error");
    assertThat(later.status()).isEqualTo(504);
    assertThat(later.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aStreamCachedByOneInstanceIsAHitReplayedAsAStreamOnTheOther() {
    streams(1);
    Res miss = a.http.post("/v1/chat/completions", v1("cached", true));
    // The answer is stored after it went out (counted in the client's quota, then written).
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.keyCount("reliapi:cache:*") == 1);
    Res hit = b.http.post("/v1/chat/completions", v1("cached", true));

    assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(ChunkStream.of(hit.body()).text()).isEqualTo("Hello!");
    assertThat(ChunkStream.of(hit.body()).usage().get("total_tokens").asInt()).isEqualTo(12);
    assertThat(SseEvents.parse(hit.body()).getLast().data()).isEqualTo("[DONE]");
    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
  }
}
