package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TlsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Half-open handshakes on the HTTPS listener: a connection that opens TCP and sends nothing, or half a ClientHello,
 * counts against {@code server.max_connections} from the moment it is accepted (Vert.x shows a connection to the
 * gateway only after its handshake) and is closed when the handshake timeout ({@code idle_timeout_s}, at most 10 s)
 * runs out, which frees its place.
 */
class ServerTlsHandshakeLimitsEndToEndTest {
  static final int CAP = 2;
  /** A TLS record header announcing a 200-byte handshake record, and the first bytes of a ClientHello. */
  static final byte[] HALF_A_CLIENT_HELLO = HexFormat.of().parseHex("16030100c8010000c40303");

  TestCertificates certs;
  GatewayHarness gw;
  final List<RawConnection> open = new ArrayList<>();

  @BeforeEach
  void makeCertificates() throws IOException {
    certs = TestCertificates.create(Files.createTempDirectory("reliapi-handshake-limits").resolve("ca"));
  }

  private void start(int idleTimeoutS) {
    gw = GatewayHarness.yaml("""
        server:
          max_connections: %d
          idle_timeout_s: %d
          tls: {cert_file: "%s", key_file: "%s"}
        targets:
          api: {base_url: "http://127.0.0.1:9"}
        """.formatted(CAP, idleTimeoutS, certs.serverCert(), certs.serverKey())).start();
  }

  @AfterEach
  void stop() {
    open.forEach(RawConnection::close);
    gw.close();
  }

  @Test
  void connectionsStuckInTheirHandshakeHoldPlacesUnderTheCapUntilTheHandshakeTimeoutClosesThem() {
    start(1);
    RawConnection silent = connect(5_000);
    RawConnection partial = connect(5_000).write(HALF_A_CLIENT_HELLO);
    // Both are accepted and counted: a TLS client now finds the cap reached and is closed at once.
    assertThatThrownBy(() -> client().get("/healthz")).as("past the cap").isInstanceOf(UncheckedIOException.class);

    assertThat(silent.closedByServer()).as("no handshake within the timeout: closed").isTrue();
    assertThat(partial.closedByServer()).as("half a ClientHello is no handshake either").isTrue();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .untilAsserted(() -> assertThat(client().get("/healthz").status()).isEqualTo(200));
    MetricSamples metrics = MetricSamples.scrape(client());
    assertThat(metrics.value("reliapi_tls_handshake_failures_total", "reason", "timeout")).isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("reliapi_connections_refused_total")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aFloodOfSilentConnectionsIsCutAtTheCapAtOnceNotAfterTheHandshakeTimeout() {
    start(30);  // a 10 s handshake timeout: what is closed within the 2 s reads below was closed by the cap
    for (int i = 0; i < 10; i++) {
      connect(2_000);
    }
    assertThat(open.stream().skip(CAP).filter(RawConnection::closedByServer).count())
        .as("every connection past the cap is closed at once").isEqualTo(10 - CAP);
    assertThat(open.stream().limit(CAP).filter(RawConnection::closedByServer).count())
        .as("the ones under the cap wait for their handshake").isZero();
    open.subList(0, CAP).forEach(RawConnection::close);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .untilAsserted(() -> assertThat(client().get("/healthz").status()).isEqualTo(200));
    assertThat(MetricSamples.scrape(client()).value("reliapi_connections_refused_total")).isEqualTo(10 - CAP);
  }

  private TestHttp client() {
    return TlsClient.trusting(certs.caCert()).to(gw.port());
  }

  /** A raw connection whose reads give up after {@code readTimeoutMs} (closedByServer: closed, or left open). */
  private RawConnection connect(int readTimeoutMs) {
    RawConnection c = RawConnection.open(gw.port(), readTimeoutMs);
    open.add(c);
    return c;
  }
}
