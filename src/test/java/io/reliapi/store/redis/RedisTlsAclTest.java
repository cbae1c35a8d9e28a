package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisNode;
import io.reliapi.testing.RedisTlsAcl;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a Redis that speaks only TLS on the port it uses (client certificates required) and lets
 * it in only as an ACL user with the rights operations-redis.md lists (issue 17, item 4). Everything works
 * as that user; a wrong password or a server certificate from another CA leaves the gateway not ready, and
 * the password never shows in a log line or an answer. The test itself talks to the same Redis on a plain
 * port of its own.
 */
class RedisTlsAclTest {
  /** The ACL rule of operations-redis.md. */
  static final String ACL = RedisTlsAcl.GATEWAY_RULE;
  private static final String PASSWORD = "s3cret-Pa55word";
  private static TestCertificates certificates;
  private static TestCertificates strangers;
  private static RedisNode redis;
  private static int tlsPort;

  private final MockUpstream up = MockUpstream.start();
  private final List<GatewayHarness> gateways = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-tls");
    certificates = TestCertificates.create(dir.resolve("ca"));
    strangers = TestCertificates.create(dir.resolve("other-ca"));
    tlsPort = FreePort.find();
    redis = RedisNode.start(dir, FreePort.find(), List.of("save \"\"", "tls-port " + tlsPort,
        "tls-cert-file " + certificates.serverCert(), "tls-key-file " + certificates.serverKey(),
        "tls-ca-cert-file " + certificates.caCert(), "tls-auth-clients yes",
        "user default on nopass ~* &* +@all", "user reliapi on >" + PASSWORD + " " + ACL), false);
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void stop() {
    gateways.forEach(GatewayHarness::close);
    up.close();
    redis.command("FLUSHALL");
  }

  private GatewayHarness gateway(String url, String password, TestCertificates trusted) {
    GatewayHarness gateway = GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis:
          url: "%s"
          password_env: REDIS_PASSWORD
          tls: {ca_file: "%s", cert_file: "%s", key_file: "%s"}
        targets:
          api: {base_url: "%s", cache: {ttl_s: 60}}
        """.formatted(url, trusted.caCert(), certificates.clientCert(), certificates.clientKey(), up.baseUrl()))
        .env("REDIS_PASSWORD", password).start();
    gateways.add(gateway);
    return gateway;
  }

  private static String tlsUrl(String userPart) {
    return "rediss://" + userPart + "@127.0.0.1:" + tlsPort + "/0";
  }

  @Test
  void overTlsAsTheAclUserKeyedRequestsReplayAndAnswersAreCached() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    up.otherwise("GET /items", Behavior.json(200, "{\"items\":[]}"));
    GatewayHarness gw = gateway(tlsUrl("reliapi"), PASSWORD, certificates);

    Res first = gw.http.post("/t/api/pay", "{}", "Idempotency-Key", "tls-1");
    Res again = gw.http.post("/t/api/pay", "{}", "Idempotency-Key", "tls-1");
    assertThat(gw.http.get("/t/api/items").header("X-Cache-Hit")).isEqualTo("false");
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.keyCount("reliapi:cache:*") == 1);
    Res hit = gw.http.get("/t/api/items");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(gw.http.get("/readyz").status()).isEqualTo(200);
    List<String> gatewayConnections = redis.command("CLIENT LIST").lines()
        .filter(line -> line.contains("laddr=127.0.0.1:" + tlsPort)).toList();
    assertThat(gatewayConnections).as("the pool and the completion channel, both on the TLS port").hasSizeGreaterThan(1)
        .allSatisfy(line -> assertThat(line).contains(" user=reliapi "));
  }

  @Test
  void aWrongPasswordLeavesTheGatewayNotReadyAndNeverShowsAPassword() {
    try (LogCapture logs = LogCapture.capture()) {
      GatewayHarness fromEnv = gateway(tlsUrl("reliapi"), "wrong-env-password", certificates);
      GatewayHarness inUrl = gateway(tlsUrl("reliapi:wrong-url-password"), PASSWORD, certificates);

      for (GatewayHarness gw : List.of(fromEnv, inUrl)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 503);
        Res refused = gw.http.post("/t/api/pay", "{}", "Idempotency-Key", "no-auth");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(refused.body()).doesNotContain("password", "127.0.0.1:" + tlsPort, "rediss");
      }
      assertThat(logs.all()).contains("Redis is unavailable")
          .doesNotContain("wrong-env-password", "wrong-url-password", PASSWORD);
    }
    assertThat(up.count("/pay")).isZero();
  }

  @Test
  void aServerCertificateFromAnotherAuthorityIsRefused() {
    GatewayHarness gw = gateway(tlsUrl("reliapi"), PASSWORD, strangers);
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 503);
    assertThat(gw.http.post("/t/api/pay", "{}", "Idempotency-Key", "untrusted").status()).isEqualTo(503);
  }
}
