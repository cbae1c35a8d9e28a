package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisNode;
import io.reliapi.testing.SniFront;
import io.reliapi.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS Redis behind an SNI-routing proxy: the gateway's Redis connections (the command pool and the completion
 * channel) name the URL's host in their handshakes, a single-label one like {@code localhost} too, and never an IP
 * address (RFC 6066). The front records what each handshake indicated and relays to a real {@code redis-server}.
 */
class RedisServerNameTest {
  private static TestCertificates certificates;
  private static RedisNode redis;
  private static int tlsPort;

  private final MockUpstream up = MockUpstream.start();
  private SniFront front;
  private GatewayHarness gateway;

  @BeforeAll
  static void startRedis() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-sni");
    certificates = TestCertificates.create(dir.resolve("ca"));
    tlsPort = FreePort.find();
    redis = RedisNode.start(dir, FreePort.find(), List.of("save \"\"", "tls-port " + tlsPort,
        "tls-cert-file " + certificates.serverCert(), "tls-key-file " + certificates.serverKey(),
        "tls-ca-cert-file " + certificates.caCert(), "tls-auth-clients no"), false);
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startFront() {
    front = SniFront.to(tlsPort, certificates);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    front.close();
    up.close();
    redis.command("FLUSHALL");
  }

  private void keyedCallsReplayThrough(String host) {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    gateway = GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis:
          url: "rediss://%s:%d"
          tls: {ca_file: "%s"}
        targets:
          api: {base_url: "%s"}
        """.formatted(host, front.port(), certificates.caCert(), up.baseUrl())).start();

    assertThat(gateway.http.post("/t/api/pay", "{}", "Idempotency-Key", "sni-1").status()).isEqualTo(201);
    assertThat(gateway.http.post("/t/api/pay", "{}", "Idempotency-Key", "sni-1").header("Idempotent-Replayed"))
        .isEqualTo("true");
    assertThat(gateway.http.get("/readyz").status()).isEqualTo(200);
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  @Test
  void aSingleLabelHostNameIsNamedInEveryHandshake() {
    keyedCallsReplayThrough("localhost");

    assertThat(front.serverNames()).as("the command pool and the completion channel").hasSizeGreaterThan(1)
        .allMatch("localhost"::equals);
  }

  @Test
  void anAddressIsNeverNamed() {
    keyedCallsReplayThrough("127.0.0.1");

    assertThat(front.serverNames()).hasSizeGreaterThan(1).allMatch(String::isEmpty);
  }
}
