package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keyed POST that one deployment may have acted on is retried on that deployment only: another deployment
 * (another account or region) never saw the key and could act on it a second time. A refusal that says the
 * request was not acted on (429) still moves the retry to a sibling.
 */
class KeyedRetryDeploymentEndToEndTest {
  private final ManualClock clock = new ManualClock();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("""
        targets:
          pay:
            base_url: "%1$s/a"
            circuit: {enabled: false}
            retry_matrix: {"5xx": {attempts: 3, base_s: 1, max_s: 1}, "429": {attempts: 2, base_s: 1, max_s: 1}}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())).clock(clock, ManualScheduler.auto(clock)));
  }

  @Test
  void aKeyedPostAnswered503IsRetriedOnTheDeploymentThatMayHaveActedOnly() {
    e2e.up().script("* /a/charge", Behavior.status(503), Behavior.status(503), Behavior.status(201));
    e2e.up().script("* /b/charge", Behavior.status(503), Behavior.status(503), Behavior.status(201));

    TestHttp.Res res = e2e.gw().http.post("/t/pay/charge", "{}", "Idempotency-Key", "order-1");

    assertThat(res.status()).isEqualTo(201);
    assertThat(deployments()).as("every attempt went to the deployment that may have acted").hasSize(3)
        .containsOnly(deployments().get(0));
  }

  /** The deployment of each request the upstream got, in order. */
  private java.util.List<String> deployments() {
    return e2e.up().requests().stream().map(r -> r.path().substring(1, 2)).toList();
  }

  @Test
  void aKeyedPostRefusedWith429MovesToTheSibling() {
    e2e.up().script("* /a/order", Behavior.status(429));
    e2e.up().script("* /b/order", Behavior.status(429));

    TestHttp.Res res = e2e.gw().http.post("/t/pay/order", "{}", "Idempotency-Key", "order-2");

    assertThat(res.status()).isEqualTo(429);
    assertThat(deployments()).as("the refused attempt was not acted on, so the retry may move")
        .hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aGetAnswered503StillMovesToTheSibling() {
    e2e.up().script("* /a/item", Behavior.status(503), Behavior.status(200));
    e2e.up().script("* /b/item", Behavior.status(503), Behavior.status(200));

    TestHttp.Res res = e2e.gw().http.get("/t/pay/item");

    assertThat(res.status()).isEqualTo(200);
    assertThat(deployments()).hasSize(3);
    assertThat(deployments().get(1)).isNotEqualTo(deployments().get(0));
  }

  @Test
  void anUnkeyedPostAnswered503IsNotRetriedAtAll() {
    e2e.up().script("* /a/plain", Behavior.status(503), Behavior.status(201));
    e2e.up().script("* /b/plain", Behavior.status(503), Behavior.status(201));

    assertThat(e2e.gw().http.post("/t/pay/plain", "{}").status()).isEqualTo(503);
    assertThat(deployments()).hasSize(1);
  }
}
