package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found in review: deployment a asked the request to wait an hour (503 {@code Retry-After: 3600}), the attempt moved
 * to b, b answered 500 twice and its breaker opened; the retry found every deployment left asking the request to wait and
 * ended with the gateway's 503 {@code OVERLOADED}, which is no fallback trigger and hid b's answer. Now the retry stage
 * counts that wait as a {@code Retry-After}: beyond {@code max_s} the request ends with b's 500 (and a fallback target
 * answers where there is one), within it the retry waits for a and gets a's own answer.
 */
class AllAskedToWaitEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  private void start(String aRetryAfter, String fallback) {
    e2e.up().otherwise("* /a/x", Behavior.respond(503, Map.of("Retry-After", aRetryAfter), "a overloaded"));
    e2e.up().otherwise("* /b/x", Behavior.respond(500, Map.of(), "b failed"));
    e2e.up().otherwise("* /spare/x", Behavior.respond(200, Map.of(), "spare answered"));
    // Equal weights and nothing in flight: the first request goes to a, the first deployment.
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        targets:
          api:
            base_url: "%1$s/a"
            circuit: {error_threshold: 2, cooldown_s: 60}
            retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0.01, max_s: 5}}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
            %2$s
          spare: {base_url: "%1$s/spare"}
        """.formatted(e2e.up().baseUrl(), fallback)).env("ADMIN_KEYS", "admin-key")
        .clock(clock, ManualScheduler.auto(clock)));
  }

  private List<String> trail(String requestId) {
    List<String> trail = new ArrayList<>();
    for (JsonNode request : e2e.gw().http.get("/admin/requests", "Authorization", "Bearer admin-key").json()
        .get("requests")) {
      if (request.get("request_id").asText().equals(requestId)) {
        // Text without durations: the attempt's target, deployment and status, or the fallback's destination.
        request.get("trail").forEach(entry -> trail.add(switch (entry.get("kind").asText()) {
          case "attempt" -> entry.get("target").asText() + "/" + entry.get("deployment").asText() + " "
              + entry.get("status").asText();
          case "fallback" -> "fallback " + entry.get("to").asText();
          default -> entry.get("text").asText();
        }));
      }
    }
    return trail;
  }

  @Test
  void theFallbackTargetAnswersWhenEveryDeploymentLeftAskedTheRequestToWait() {
    start("3600", "fallback_targets: [spare]");
    TestHttp.Res answer = e2e.gw().http.get("/t/api/x", "X-Request-Id", "waits-1");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("spare answered");
    assertThat(answer.header("X-ReliAPI-Fallback-Reason")).as("b's 500 sent it on").isEqualTo("5xx");
    assertThat(e2e.up().count("/a/x")).isEqualTo(1);
    assertThat(e2e.up().count("/b/x")).as("the move and one retry; none into nowhere").isEqualTo(2);
    assertThat(answer.header("X-Retries")).isEqualTo("1");
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_fallbacks_total", "from", "api", "to", "spare")).isEqualTo(1.0);
    assertThat(metrics.value("reliapi_deployment_moves_total", "target", "api", "reason", "overloaded"))
        .isEqualTo(1.0);
    assertThat(trail("waits-1")).containsExactly("api/a 503", "api/b 500", "api/b 500", "fallback spare",
        "spare/null 200");
  }

  @Test
  void withoutAFallbackTheClientGetsTheLastUpstreamAnswer() {
    start("3600", "");
    TestHttp.Res answer = e2e.gw().http.get("/t/api/x");
    assertThat(answer.status()).as("b's 500, not the gateway's OVERLOADED").isEqualTo(500);
    assertThat(answer.body()).isEqualTo("b failed");
    assertThat(answer.header("X-ReliAPI-Deployment")).isEqualTo("b");
    assertThat(e2e.up().count("/b/x")).isEqualTo(2);
    assertThat(answer.header("X-Retries")).isEqualTo("1");
  }

  @Test
  void aWaitWithinMaxSIsWaitedOutAndTheLastAnswerIsTheDeploymentsOwn() {
    start("2", "");
    long before = clock.epochMillis();
    TestHttp.Res answer = e2e.gw().http.get("/t/api/x");
    assertThat(e2e.up().count("/b/x")).as("the move and one retry; b's breaker then open").isEqualTo(2);
    assertThat(e2e.up().count("/a/x")).as("a, then a again after its wait").isEqualTo(2);
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("a overloaded");
    assertThat(answer.header("Retry-After")).isEqualTo("2");
    assertThat(answer.header("X-Retries")).isEqualTo("2");
    assertThat(clock.epochMillis() - before).as("a's wait of 2 s").isGreaterThanOrEqualTo(2000);
  }
}
