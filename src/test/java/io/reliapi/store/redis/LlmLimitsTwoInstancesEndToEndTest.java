package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances on one Redis hold one LLM request and token limit between them, not one each:
 * concurrent requests spread over both get exactly what one limit allows. Real sockets, a real
 * redis-server, one manual clock for both instances.
 */
class LlmLimitsTwoInstancesEndToEndTest {
  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();
  private final MockUpstream up = MockUpstream.start();
  private final ManualClock clock = new ManualClock();
  private final List<GatewayHarness> instances = new ArrayList<>();

  @AfterEach
  void stop() {
    instances.forEach(GatewayHarness::close);
    up.close();
  }

  private void startTwo(String clientLimits, String targetLimits) {
    for (int i = 0; i < 2; i++) {
      instances.add(GatewayHarness.yaml("""
          redis: {url: "%s"}
          clients:
            - {name: team, key_env: TEAM_KEY%s}
          targets:
            openai:
              base_url: "%s/v1"
              %s
              llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100%s}
          """.formatted(redis.url(), clientLimits, up.baseUrl(), TestYaml.NO_RETRIES, targetLimits))
          .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)).start());
    }
  }

  /** Sends {@code n} requests at once, alternating between the two instances. */
  private List<Res> burst(int n) {
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(instances.get(i % 2).http.postAsync("/proxy/llm",
          "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}",
          "X-API-Key", "team-secret", "Content-Type", "application/json"));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  private static long count(List<Res> answers, int status) {
    return answers.stream().filter(r -> r.status() == status).count();
  }

  @Test
  void aTargetsRequestsPerMinuteAreOneLimitOverBothInstances() {
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    startTwo("", ", limits: {rpm: 6}");

    List<Res> answers = burst(20);

    assertThat(count(answers, 200)).isEqualTo(6);
    assertThat(count(answers, 429)).isEqualTo(14);
    assertThat(up.count("/v1/chat/completions")).isEqualTo(6);
    clock.advance(Duration.ofSeconds(60));
    assertThat(count(burst(2), 200)).isEqualTo(2);
  }

  @Test
  void aClientsTokensPerMinuteAreOneLimitOverBothInstances() {
    // Each call reserves 108 tokens and uses 108: five fit under 540.
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100));
    startTwo(", limits: {tpm: 540}", "");

    List<Res> answers = burst(12);

    assertThat(count(answers, 200)).isEqualTo(5);
    assertThat(answers).filteredOn(r -> r.status() == 429)
        .allSatisfy(r -> assertThat(r.json().get("error").get("details").get("kind").asText()).isEqualTo("tpm"));
    assertThat(up.count("/v1/chat/completions")).isEqualTo(5);
  }
}
