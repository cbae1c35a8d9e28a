package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import org.junit.jupiter.api.Test;

/** The container health probe answers from /healthz. */
class HealthCheckTest {
  @Test
  void reportsARunningGatewayHealthyAndAMissingOneNot() {
    try (GatewayHarness gw = GatewayHarness.yaml("targets: {a: {base_url: 'http://127.0.0.1:9'}}").start()) {
      assertThat(HealthCheck.healthy("http://127.0.0.1:" + gw.port() + "/healthz")).isTrue();
      assertThat(HealthCheck.healthy("http://127.0.0.1:" + gw.port() + "/nothing")).isFalse();
    }
    assertThat(HealthCheck.healthy("http://127.0.0.1:9/healthz")).isFalse();
  }
}
