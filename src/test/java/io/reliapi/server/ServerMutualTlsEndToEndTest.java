package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TlsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client certificates on the listener ({@code server.tls.client_auth}): with {@code require} a client without a
 * certificate signed by {@code client_ca_file} never reaches a route; with {@code request} the certificate is optional
 * but one from another CA is refused; with {@code none} none is asked for. The API key still names the client.
 */
class ServerMutualTlsEndToEndTest {
  static TestCertificates certs;
  static TestCertificates stranger;
  static Path clientBundle;
  static Path strangerBundle;
  static MockUpstream up;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-server-mtls");
    certs = TestCertificates.create(dir.resolve("ca"));
    stranger = TestCertificates.create(dir.resolve("stranger"));
    clientBundle = certs.pkcs12(certs.clientCert(), certs.clientKey(), "client.p12");
    strangerBundle = stranger.pkcs12(stranger.clientCert(), stranger.clientKey(), "client.p12");
    up = MockUpstream.start();
    up.otherwise("GET /ping", Behavior.json(200, "{\"pong\":true}"));
  }

  @AfterAll
  static void stop() {
    up.close();
  }

  private static GatewayHarness gateway(String clientAuth) {
    String clientCa = clientAuth.equals("none") ? "" : ", client_ca_file: \"" + certs.caCert() + "\"";
    return GatewayHarness.yaml("""
        server:
          tls: {cert_file: "%s", key_file: "%s"%s, client_auth: %s}
        clients:
          - {name: app, key_env: APP_KEY}
        targets:
          api: {base_url: "%s"}
        """.formatted(certs.serverCert(), certs.serverKey(), clientCa, clientAuth, up.baseUrl()))
        .env("APP_KEY", "k-app").start();
  }

  private static int ping(GatewayHarness gw, Path bundle, String... headers) {
    return TlsClient.create(certs.caCert(), bundle).to(gw.port()).get("/t/api/ping", headers).status();
  }

  @Test
  void requireLetsInOnlyClientsWithACertificateSignedByTheClientCa() {
    try (GatewayHarness gw = gateway("require")) {
      int before = up.count("/ping");
      assertThat(ping(gw, clientBundle, "X-API-Key", "k-app")).isEqualTo(200);
      assertThat(ping(gw, clientBundle)).as("the certificate does not replace the API key").isEqualTo(401);
      assertThatThrownBy(() -> ping(gw, null, "X-API-Key", "k-app")).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> ping(gw, strangerBundle, "X-API-Key", "k-app")).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> TlsClient.trusting(certs.caCert()).to(gw.port()).get("/healthz"))
          .as("not even /healthz").isInstanceOf(UncheckedIOException.class);
      assertThat(up.count("/ping")).as("the refused clients reached no route").isEqualTo(before + 1);
    }
  }

  @Test
  void requestMakesTheCertificateOptionalButRefusesOneFromAnotherCa() {
    try (GatewayHarness gw = gateway("request")) {
      assertThat(ping(gw, clientBundle, "X-API-Key", "k-app")).isEqualTo(200);
      assertThat(ping(gw, null, "X-API-Key", "k-app")).isEqualTo(200);
      assertThatThrownBy(() -> ping(gw, strangerBundle, "X-API-Key", "k-app")).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void noneAsksForNoCertificate() {
    try (GatewayHarness gw = gateway("none")) {
      assertThat(ping(gw, null, "X-API-Key", "k-app")).isEqualTo(200);
      assertThat(ping(gw, strangerBundle, "X-API-Key", "k-app")).as("a certificate nobody asked for is not read")
          .isEqualTo(200);
    }
  }
}
