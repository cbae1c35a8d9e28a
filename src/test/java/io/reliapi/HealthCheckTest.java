package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void probesAnHttpsListenerThroughTheSameHttpUrlUnlessItRequiresClientCertificates(@TempDir Path dir) {
    TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
    String tls = "cert_file: '" + certs.serverCert() + "', key_file: '" + certs.serverKey() + "'";
    try (GatewayHarness gw = GatewayHarness.yaml("server: {tls: {" + tls + "}}\n"
        + "targets: {a: {base_url: 'http://127.0.0.1:9'}}").start()) {
      assertThat(HealthCheck.healthy("http://127.0.0.1:" + gw.port() + "/healthz")).isTrue();
      assertThat(HealthCheck.healthy("https://127.0.0.1:" + gw.port() + "/healthz")).isTrue();
      assertThat(HealthCheck.healthy("http://127.0.0.1:" + gw.port() + "/nothing")).isFalse();
    }
    try (GatewayHarness gw = GatewayHarness.yaml("server: {tls: {" + tls + ", client_ca_file: '" + certs.caCert()
        + "', client_auth: require}}\ntargets: {a: {base_url: 'http://127.0.0.1:9'}}").start()) {
      assertThat(HealthCheck.healthy("http://127.0.0.1:" + gw.port() + "/healthz"))
          .as("the probe has no client certificate").isFalse();
    }
  }
}
