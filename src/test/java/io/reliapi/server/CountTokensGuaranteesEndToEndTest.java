package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/messages/count_tokens} is held to the client's guarantees like every route, whether the
 * gateway counts ({@code openai}: its provider has no count) or the provider does ({@code claude}): the client's
 * {@code rate_limit} and its target allowlist. The clock is manual; each test starts with a full bucket.
 */
class CountTokensGuaranteesEndToEndTest {
  static final String COUNT = "POST /v1/messages/count_tokens";
  static final String BODY = "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello there\"}]}";
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 1, burst: 2}}
        - {name: claude_only, key_env: CLAUDE_ONLY_KEY, targets: [claude]}
        - {name: openai_only, key_env: OPENAI_ONLY_KEY, targets: [openai]}
      targets:
        claude:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        openai:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())).env("LIMITED_KEY", "k-limited").env("CLAUDE_ONLY_KEY", "k-claude")
      .env("OPENAI_ONLY_KEY", "k-openai").clock(clock, ManualScheduler.manual(clock)));

  @BeforeEach
  void refill() {
    clock.advance(Duration.ofMinutes(1));
  }

  static Res count(String key, String model) {
    return e2e.gw().http.post("/v1/messages/count_tokens", BODY.formatted(model), "x-api-key", key,
        "anthropic-version", "2023-06-01");
  }

  static void assertRateLimited(Res r) {
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(r.json().get("error").get("details").get("error_code").asText()).isEqualTo("RATE_LIMITED");
  }

  @Test
  void aCountTheGatewayMakesTakesATokenOfTheClientsRateLimit() {
    assertThat(count("k-limited", "openai/gpt-4o-mini").header("X-ReliAPI-Token-Count")).isEqualTo("estimate");
    assertThat(count("k-limited", "openai/gpt-4o-mini").status()).isEqualTo(200);

    assertRateLimited(count("k-limited", "openai/gpt-4o-mini"));
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aCountTheProviderMakesTakesATokenOfTheClientsRateLimit() {
    e2e.up().otherwise(COUNT, Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 11}"));
    assertThat(count("k-limited", "claude/claude-haiku-4-5").header("X-ReliAPI-Token-Count")).isEqualTo("provider");
    assertThat(count("k-limited", "claude/claude-haiku-4-5").status()).isEqualTo(200);

    assertRateLimited(count("k-limited", "claude/claude-haiku-4-5"));
    assertThat(e2e.up().total()).as("the refused count never reached the provider").isEqualTo(2);
  }

  @Test
  void bothKindsOfCountShareTheOneBucketOfTheClient() {
    e2e.up().otherwise(COUNT, Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 11}"));
    assertThat(count("k-limited", "claude/claude-haiku-4-5").status()).isEqualTo(200);
    assertThat(count("k-limited", "openai/gpt-4o-mini").status()).isEqualTo(200);

    assertRateLimited(count("k-limited", "openai/gpt-4o-mini"));
    assertRateLimited(count("k-limited", "claude/claude-haiku-4-5"));
  }

  @Test
  void aClientNotAllowedOnTheTargetGets403WithNoProviderCallWhoeverCounts() {
    e2e.up().otherwise(COUNT, Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"input_tokens\": 11}"));
    Res local = count("k-claude", "openai/gpt-4o-mini");
    Res asked = count("k-openai", "claude/claude-haiku-4-5");

    for (Res r : new Res[] {local, asked}) {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().get("error").get("type").asText()).isEqualTo("permission_error");
      assertThat(r.json().get("error").get("details").get("error_code").asText()).isEqualTo("FORBIDDEN");
      assertThat(r.header("X-ReliAPI-Token-Count")).isNull();
    }
    assertThat(e2e.up().total()).isZero();
    assertThat(count("k-claude", "claude/claude-haiku-4-5").status()).isEqualTo(200);
    assertThat(count("k-openai", "openai/gpt-4o-mini").status()).isEqualTo(200);
  }
}
