package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found in review: a 503 or 529 with a {@code Retry-After} moved its request to an untried sibling without drawing
 * on the retry budget or asking the retry matrix, so a provider-wide overload made one call per deployment for
 * every request. A move is drawn from the budget and needs a {@code 5xx} rule that allows another attempt.
 */
class DeploymentOverloadMoveEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        spent:
          base_url: "%1$s/sa"
          circuit: {enabled: false}
          retry_matrix: {"5xx": {attempts: 3, base_s: 1, max_s: 20}}
          retry_budget: {percent: 0, min_per_s: 0, window_s: 10}
          deployments: [{name: a}, {name: b, base_url: "%1$s/sb"}]
        once:
          base_url: "%1$s/oa"
          circuit: {enabled: false}
          retry_matrix: {"5xx": {attempts: 1}}
          deployments: [{name: a}, {name: b, base_url: "%1$s/ob"}]
      """.formatted(up.baseUrl())));

  /** Both deployments of {@code target} (paths {@code /<prefix>a}, {@code /<prefix>b}) answer {@code status}. */
  private static void answersOnceWithoutMoving(String target, String prefix, int status, String retryAfter) {
    var overloaded = Behavior.respond(status, Map.of("Retry-After", retryAfter), "");
    e2e.up().otherwise("* /" + prefix + "a/x", overloaded);
    e2e.up().otherwise("* /" + prefix + "b/x", overloaded);
    TestHttp.Res answer = e2e.gw().http.get("/t/" + target + "/x");
    assertThat(answer.status()).isEqualTo(status);
    assertThat(e2e.up().count("/" + prefix + "a/x") + e2e.up().count("/" + prefix + "b/x")).as("one call, no move")
        .isEqualTo(1);
  }

  @Test
  void aBudgetThatRefusesKeepsTheOverloadWhereItWas() {
    answersOnceWithoutMoving("spent", "s", 529, "120");
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_retry_budget_exhausted_total", "target", "spent"))
        .isEqualTo(1.0);
  }

  @Test
  void aRuleOfOneAttemptKeepsTheOverloadWhereItWas() {
    answersOnceWithoutMoving("once", "o", 503, "1");
  }
}
