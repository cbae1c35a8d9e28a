package io.reliapi.observe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigException;
import io.reliapi.config.ConfigLoader;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.OtlpReceiver;
import io.reliapi.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces exported to a collector behind TLS with a private CA and client certificates ({@code telemetry.tls}):
 * the real OpenTelemetry exporter against a real OTLP receiver over HTTPS that requires a client certificate.
 */
class TelemetryTlsEndToEndTest {
  private static TestCertificates certs;
  private static Path sec1Key;
  private static MockUpstream up;
  private static OtlpReceiver collector;

  @BeforeAll
  static void start() throws IOException {
    certs = TestCertificates.create(Files.createTempDirectory("reliapi-otlp-tls").resolve("ca"));
    sec1Key = certs.rewrittenKey(certs.clientKey(), "client-sec1.key", "ec");
    up = MockUpstream.start();
    up.otherwise("* /x", Behavior.status(200));
    collector = OtlpReceiver.startTls(certs.serverCert(), certs.serverKey(), certs.caCert());
  }

  @AfterAll
  static void stop() {
    collector.close();
    up.close();
  }

  private static GatewayHarness gateway(String service, String tls) {
    return GatewayHarness.yaml("""
        telemetry: {otlp_endpoint: "%s", service_name: %s%s}
        targets:
          api: {base_url: "%s"}
        """.formatted(collector.tracesUrl(), service, tls, up.baseUrl())).start();
  }

  @Test
  void exportsToACollectorSignedByThePrivateCaShowingTheClientCertificate() throws IOException {
    assertThat(Files.readString(sec1Key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    try (GatewayHarness gw = gateway("tls-gateway", ", tls: {ca_file: '%s', cert_file: '%s', key_file: '%s'}"
        .formatted(certs.caCert(), certs.clientCert(), sec1Key))) {
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> collector.serviceNames().contains("tls-gateway"));
      assertThat(collector.spans()).isNotEmpty();
    }
  }

  @Test
  void withoutTheCaTheCollectorIsNotTrustedAndOnlyACounterSaysSo() {
    try (GatewayHarness gw = gateway("untrusting-gateway", "")) {
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> gw.http.get("/metrics").body().lines()
          .anyMatch(l -> l.startsWith("reliapi_telemetry_export_failures_total") && !l.endsWith(" 0.0")));
      assertThat(collector.serviceNames()).doesNotContain("untrusting-gateway");
    }
  }

  @Test
  void aTlsBlockNeedsAnHttpsCollectorAndReadableFiles() {
    assertThat(problems("telemetry: {otlp_endpoint: 'http://collector:4318/v1/traces', tls: {ca_file: '"
        + certs.caCert() + "'}}")).anyMatch(p -> p.startsWith("telemetry.tls: needs an https otlp_endpoint"));
    assertThat(problems("telemetry: {otlp_endpoint: 'https://collector:4318/v1/traces', tls: {ca_file: '"
        + certs.caCert() + "', cert_file: '" + certs.clientCert() + "', key_file: '" + certs.serverKey() + "'}}"))
        .anyMatch(p -> p.startsWith("telemetry.tls.key_file"));
  }

  private static java.util.List<String> problems(String yaml) {
    try {
      ConfigLoader.parse(yaml + "\ntargets:\n  api: {base_url: 'http://127.0.0.1:1'}\n", name -> null);
      throw new AssertionError("expected problems with " + yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
  }
}
