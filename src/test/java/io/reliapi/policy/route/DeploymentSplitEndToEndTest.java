package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target's deployments share its requests by weight, one request at a time and under concurrent load, each
 * called with its own credential; the deployment that answered is named in the header, {@code meta} and metrics.
 * Three deployments of one mock upstream, told apart by their base paths.
 */
class DeploymentSplitEndToEndTest {
  private static final int REQUESTS = 1000;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%1$s/a"
            auth: {type: bearer_env, env_var: KEY_A}
            deployments:
              - {name: a}
              - {name: b, base_url: "%1$s/b", auth: {type: bearer_env, env_var: KEY_B}}
              - {name: c, base_url: "%1$s/c", auth: {type: header_env, header: api-key, env_var: KEY_C}, weight: 2}
        """.formatted(e2e.up().baseUrl()))
        .env("KEY_A", "ka").env("KEY_B", "kb").env("KEY_C", "kc"));
  }

  private double percent(String deployment) {
    return 100.0 * e2e.up().count("/" + deployment + "/x") / REQUESTS;
  }

  private void assertSplitIsWithinFivePointsOf252550() {
    assertThat(e2e.up().total()).isEqualTo(REQUESTS);
    assertThat(percent("a")).isCloseTo(25.0, org.assertj.core.data.Offset.offset(5.0));
    assertThat(percent("b")).isCloseTo(25.0, org.assertj.core.data.Offset.offset(5.0));
    assertThat(percent("c")).isCloseTo(50.0, org.assertj.core.data.Offset.offset(5.0));
  }

  @Test
  void oneRequestAtATimeSplitsByWeight() {
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(e2e.gw().http.get("/t/api/x").status()).isEqualTo(200);
    }
    assertSplitIsWithinFivePointsOf252550();
    System.out.printf("deployment split, sequential: a %.1f%%, b %.1f%%, c %.1f%%%n", percent("a"), percent("b"),
        percent("c"));
  }

  @Test
  void thirtyTwoConcurrentClientsSplitByWeight() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        statuses.add(clients.submit(() -> e2e.gw().http.get("/t/api/x").status()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }
    assertSplitIsWithinFivePointsOf252550();
    System.out.printf("deployment split, 32 concurrent: a %.1f%%, b %.1f%%, c %.1f%%%n", percent("a"), percent("b"),
        percent("c"));
  }

  @Test
  void eachDeploymentGetsItsOwnCredentialAndIsNamedInTheAnswer() {
    for (int i = 0; i < 8; i++) {
      TestHttp.Res res = e2e.gw().http.get("/t/api/x");
      String deployment = res.header("X-ReliAPI-Deployment");
      assertThat(deployment).isIn("a", "b", "c");
      MockUpstream.Recorded seen = e2e.up().last();
      assertThat(seen.path()).isEqualTo("/" + deployment + "/x");
      switch (deployment) {
        case "a" -> assertThat(seen.header("Authorization")).isEqualTo("Bearer ka");
        case "b" -> assertThat(seen.header("Authorization")).isEqualTo("Bearer kb");
        default -> assertThat(seen.header("api-key")).isEqualTo("kc");
      }
    }
    var envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/x\"}");
    assertThat(envelope.json().get("meta").get("deployment").asText())
        .isEqualTo(envelope.header("X-ReliAPI-Deployment"));
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_upstream_attempts_total", "target", "api", "deployment", "c", "result", "success"))
        .isEqualTo(e2e.up().count("/c/x"));
  }

  @Test
  void aTargetWithoutDeploymentsHasNoDeploymentInMetaOrHeaders() {
    try (GatewayHarness plain = GatewayHarness.yaml("targets:\n  api: {base_url: \"%s\"}\n"
        .formatted(e2e.up().baseUrl())).start()) {
      var envelope = plain.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/x\"}");
      assertThat(envelope.json().get("meta").has("deployment")).isTrue();
      assertThat(envelope.json().get("meta").get("deployment").isNull()).isTrue();
      assertThat(envelope.header("X-ReliAPI-Deployment")).isNull();
    }
  }
}
