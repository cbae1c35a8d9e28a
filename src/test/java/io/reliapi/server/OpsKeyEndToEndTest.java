package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code server.ops_key_env} protects {@code /metrics} and {@code /readyz}; {@code /healthz} stays open. */
class OpsKeyEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {port: 0, ops_key_env: OPS_KEY}
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())).env("OPS_KEY", "ops-secret").env("APP_KEY", "app-secret"));

  @Test
  void refusesMetricsAndReadinessWithoutTheOpsKey() {
    for (String path : new String[] {"/metrics", "/readyz"}) {
      var none = e2e.gw().http.get(path);
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(none.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(none.body()).doesNotContain("reliapi_").doesNotContain("ready\"");
      assertThat(e2e.gw().http.get(path, "X-API-Key", "wrong").status()).as(path).isEqualTo(401);
      assertThat(e2e.gw().http.get(path, "X-API-Key", "app-secret").status()).as(path + " with a client key").isEqualTo(401);
    }
  }

  @Test
  void servesMetricsAndReadinessWithTheOpsKeyInEitherHeader() {
    var metrics = e2e.gw().http.get("/metrics", "X-API-Key", "ops-secret");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("reliapi_");
    assertThat(e2e.gw().http.get("/metrics", "Authorization", "Bearer ops-secret").status()).isEqualTo(200);
    var ready = e2e.gw().http.get("/readyz", "Authorization", "Bearer ops-secret");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
  }

  @Test
  void keepsTheLivenessProbeOpen() {
    var health = e2e.gw().http.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
  }
}
