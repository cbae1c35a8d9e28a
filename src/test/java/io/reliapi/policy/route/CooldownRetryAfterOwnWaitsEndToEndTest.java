package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found in review: the {@code Retry-After} a 429 of a pooled deployment gets ("when the target can be tried again")
 * ignored the waits other deployments had asked of this very request. After a asked the request to wait 30 s and the
 * attempt moved to b, b's 429 said {@code Retry-After: 0} (a was in service for everyone else), so the retry stage
 * retried at once into nowhere and the client got the gateway's 429 after a retry for nothing. Now it says b's own
 * second, beyond the 429 class's {@code max_s}: b's answer goes back, unretried.
 */
class CooldownRetryAfterOwnWaitsEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @Test
  void theRetryAfterOfA429CountsTheWaitsThisRequestWasAsked() {
    e2e.up().otherwise("* /a/x", Behavior.respond(503, Map.of("Retry-After", "30"), "a overloaded"));
    e2e.up().otherwise("* /b/x", Behavior.respond(429, Map.of("Retry-After", "1"), "b limited"));
    // Equal weights and nothing in flight: the first request goes to a, the first deployment.
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%1$s/a"
            retry_matrix: {"429": {attempts: 3, base_s: 0.01, max_s: 0.5}}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())));
    TestHttp.Res answer = e2e.gw().http.get("/t/api/x");
    assertThat(e2e.up().count("/a/x")).isEqualTo(1);
    assertThat(e2e.up().count("/b/x")).isEqualTo(1);
    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.body()).isEqualTo("b limited");
    assertThat(answer.header("Retry-After")).as("b back in a second, a's wait for this request 30 s").isEqualTo("1");
    assertThat(answer.header("X-Retries")).isEqualTo("0");
  }
}
