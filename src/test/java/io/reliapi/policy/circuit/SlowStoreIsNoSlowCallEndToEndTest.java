package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TcpProxy;
import io.reliapi.testing.TestHttp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow Redis is not a slow target: an LLM attempt reserves its budget in Redis before its call is sent, and
 * the time that takes is the store's, not the provider's. With Redis held for longer than {@code slow_call_ms}
 * (a relay between the gateway and Redis holds the reservation while the test moves the gateway's clock), the
 * provider still answers at once, so the breaker's slow-call rule must not count the attempt as slow.
 */
class SlowStoreIsNoSlowCallEndToEndTest {
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private RedisServer redis;
  private TcpProxy slowRedis;
  private MockUpstream provider;
  private GatewayHarness gateway;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    slowRedis = TcpProxy.to(redis.port());
    provider = MockUpstream.start();
    provider.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello", 8, 2));
    gateway = GatewayHarness.yaml("""
        redis: {url: "redis://127.0.0.1:%d/0", timeout_ms: 60000}
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 64, budget: {daily_usd: 100}}
            circuit:
              error_threshold: 100
              cooldown_s: 60
              slow_call_ms: 1000
              slow_call_rate_percent: 50
              window: {type: count, size: 2, min_calls: 2}
        """.formatted(slowRedis.port(), provider.baseUrl())).clock(clock, scheduler).start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    provider.close();
    slowRedis.close();
    redis.close();
  }

  @Test
  void attemptsWhoseBudgetReservationWaitedOnASlowRedisAreNoSlowCalls() {
    for (int i = 0; i < 2; i++) {
      slowRedis.pause();
      CompletableFuture<TestHttp.Res> answer = gateway.http.postAsync("/v1/chat/completions", CHAT,
          "Content-Type", "application/json");
      await().atMost(Duration.ofSeconds(10)).until(() -> slowRedis.holding() > 0);
      clock.advance(Duration.ofSeconds(3));
      slowRedis.resume();
      assertThat(answer.join().status()).isEqualTo(200);
    }

    TestHttp.Res next = gateway.http.post("/v1/chat/completions", CHAT, "Content-Type", "application/json");
    assertThat(next.status()).as("the breaker stayed closed: the provider was never slow").isEqualTo(200);
    assertThat(provider.requests()).hasSize(3);
    assertThat(MetricSamples.scrape(gateway).value("reliapi_circuit_transitions_total", "target", "openai")).isZero();
  }
}
