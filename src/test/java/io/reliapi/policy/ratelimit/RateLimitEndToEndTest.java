package io.reliapi.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client rate limits on one instance, in memory (SPEC §2.1). */
class RateLimitEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  private void start() {
    e2e.start(GatewayHarness.yaml("""
        clients:
          - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 2, burst: 3}}
          - {name: free, key_env: FREE_KEY}
        targets:
          api: {base_url: "%s"}
        """.formatted(e2e.up().baseUrl()))
        .env("LIMITED_KEY", "limited-secret").env("FREE_KEY", "free-secret")
        .clock(clock, ManualScheduler.manual(clock)));
  }

  private Res get(String key) {
    return e2e.gw().http.get("/t/api/things", "X-API-Key", key);
  }

  @Test
  void aClientGetsItsBurstThen429WithRetryAfterUntilTokensRefill() {
    start();
    for (int i = 0; i < 3; i++) {
      assertThat(get("limited-secret").status()).isEqualTo(200);
    }
    Res limited = get("limited-secret");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().get("code").asText()).isEqualTo("RATE_LIMITED");
    assertThat(limited.json().get("retry_after_s").asInt()).isEqualTo(1);
    assertThat(e2e.up().count("/things")).isEqualTo(3);

    clock.advance(Duration.ofMillis(500));
    assertThat(get("limited-secret").status()).isEqualTo(200);
    assertThat(get("limited-secret").status()).isEqualTo(429);
  }

  @Test
  void otherClientsAndTheOperationsRoutesAreNeverLimited() {
    start();
    for (int i = 0; i < 4; i++) {
      get("limited-secret");
    }
    for (int i = 0; i < 10; i++) {
      assertThat(get("free-secret").status()).isEqualTo(200);
      assertThat(e2e.gw().http.get("/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void theEnvelopeRouteAnswers429InItsOwnFormatBeforeItsBodyNamesTheTarget() {
    start();
    for (int i = 0; i < 3; i++) {
      get("limited-secret");
    }
    Res limited = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/things\"}",
        "X-API-Key", "limited-secret");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().get("success").asBoolean()).isFalse();
    assertThat(limited.json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
    // Refused before the body is read, so the target the body names is not known (as for a 401).
    assertThat(limited.json().get("meta").get("target").isNull()).isTrue();
  }
}
