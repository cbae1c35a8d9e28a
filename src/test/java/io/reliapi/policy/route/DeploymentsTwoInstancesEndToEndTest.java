package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances on one Redis: a deployment one instance sees answer 429 cools down on both, one whose
 * credential is refused is ejected on both, and the other instance never calls it meanwhile. Both instances
 * read one manual clock, as NTP-synchronised machines read one time.
 */
class DeploymentsTwoInstancesEndToEndTest {
  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();
  private final ManualClock clock = new ManualClock();
  private MockUpstream upstream;
  private GatewayHarness first;
  private GatewayHarness second;

  @BeforeEach
  void start() {
    upstream = MockUpstream.start();
    first = instance();
    second = instance();
  }

  private GatewayHarness instance() {
    return GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis: {url: "%1$s"}
        admin: {keys_env: ADMIN_KEY}
        targets:
          api:
            base_url: "%2$s/a"
            auth: {type: bearer_env, env_var: API_KEY}
            circuit: {enabled: false}
            retry_matrix: {"429": {attempts: 2, max_s: 60}}
            deployments: [{name: a}, {name: b, base_url: "%2$s/b"}]
        """.formatted(redis.url(), upstream.baseUrl())).env("ADMIN_KEY", "admin-secret").env("API_KEY", "operator-key").clock(clock, ManualScheduler.auto(clock)).start();
  }

  /** Returns what {@code gateway}'s admin API says deployment a's state is. */
  private static String stateOfA(GatewayHarness gateway) {
    return gateway.http.get("/admin/targets", "Authorization", "Bearer admin-secret").json()
        .get("targets").get(0).get("deployments").get(0).get("state").asText();
  }

  @AfterEach
  void stop() {
    second.close();
    first.close();
    upstream.close();
  }

  @Test
  void aDeploymentThatAnswered429OnOneInstanceCoolsDownOnBoth() {
    upstream.script("* /a/x", Behavior.respond(429, Map.of("Retry-After", "40"), ""));
    assertThat(first.http.get("/t/api/x").header("X-ReliAPI-Deployment")).isEqualTo("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> stateOfA(second).equals("cooling_down"));
    int aCalls = upstream.count("/a/x");
    for (int i = 0; i < 10; i++) {
      assertThat(second.http.get("/t/api/x").header("X-ReliAPI-Deployment")).isEqualTo("b");
      assertThat(first.http.get("/t/api/x").header("X-ReliAPI-Deployment")).isEqualTo("b");
    }
    assertThat(upstream.count("/a/x")).isEqualTo(aCalls);

    clock.advance(Duration.ofSeconds(40));
    for (int i = 0; i < 4; i++) {
      second.http.get("/t/api/x");
    }
    assertThat(upstream.count("/a/x")).as("a is back on both once its cooldown ended").isGreaterThan(aCalls);
  }

  @Test
  void aDeploymentWhoseCredentialWasRefusedOnOneInstanceIsEjectedOnBoth() {
    upstream.otherwise("* /a/x", Behavior.status(401));
    assertThat(first.http.get("/t/api/x").header("X-ReliAPI-Deployment")).isEqualTo("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> stateOfA(second).equals("ejected"));
    for (int i = 0; i < 10; i++) {
      assertThat(second.http.get("/t/api/x").header("X-ReliAPI-Deployment")).isEqualTo("b");
    }
    assertThat(upstream.count("/a/x")).as("the second instance never called a").isEqualTo(1);
  }
}
