package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestCertificates;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

  /**
   * The image's probe dials 127.0.0.1, which the listener's certificate does not name: its own JVM (as Docker runs it)
   * turns host-name checks off, in {@code main} only, so a JVM that merely calls {@code healthy} keeps them.
   */
  @Test
  void probesAnHttpsListenerWhoseCertificateNamesAnotherHostFromItsOwnJvmOnly(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
    TestCertificates.Issued named = certs.serverFor("named", "gateway.example");
    try (GatewayHarness gw = GatewayHarness.yaml("server: {tls: {cert_file: '" + named.cert() + "', key_file: '"
        + named.key() + "'}}\ntargets: {a: {base_url: 'http://127.0.0.1:9'}}").start()) {
      String url = "http://127.0.0.1:" + gw.port() + "/healthz";
      Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), HealthCheck.class.getName(), url).inheritIO().start();
      assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.exitValue()).as("the probe's exit code").isZero();
      assertThat(HealthCheck.healthy(url)).as("host names still checked in this JVM").isFalse();
      assertThat(System.getProperty("jdk.internal.httpclient.disableHostnameVerification")).isNull();
    }
  }
}
