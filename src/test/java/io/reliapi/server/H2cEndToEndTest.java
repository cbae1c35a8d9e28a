package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.H2c;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RawConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 cleartext (h2c) is served, with prior knowledge or by upgrade, and an HTTP/2 body needs no
 * Content-Length: the pass-through route forwards it like a chunked HTTP/1.1 body.
 */
class H2cEndToEndTest {
  static MockUpstream up;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        targets:
          api: {base_url: "%s"}
        """.formatted(up.baseUrl())).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    up.close();
  }

  @BeforeEach
  void clean() {
    up.reset();
  }

  @Test
  void forwardsAPassThroughBodyWithoutContentLengthSentWithPriorKnowledge() {
    try (H2c client = H2c.priorKnowledge(gw.port())) {
      var r = client.send(HttpMethod.POST, "/t/api/upload?x=1", Map.of("content-type", "text/plain"), "hello h2c");
      assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r.status()).isEqualTo(200);
      assertThat(up.last().bodyText()).isEqualTo("hello h2c");
      assertThat(up.last().uri()).isEqualTo("/upload?x=1");
    }
  }

  @Test
  void forwardsAPassThroughBodyOnAConnectionUpgradedToH2c() {
    try (H2c client = H2c.upgrade(gw.port())) {
      client.send(HttpMethod.GET, "/t/api/first", Map.of(), null);
      var r = client.send(HttpMethod.PUT, "/t/api/upgraded", Map.of(), "after the upgrade");
      assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(r.status()).isEqualTo(200);
      assertThat(up.last().bodyText()).isEqualTo("after the upgrade");
    }
  }

  @Test
  void forwardsTheChunkedBodyOfTheRequestThatAsksForTheUpgrade() {
    // The upgraded request becomes HTTP/2 stream 1; its Transfer-Encoding is dropped as a connection header.
    try (RawConnection connection = RawConnection.open(gw.port(), 5_000)) {
      connection.write("POST /t/api/upgrading HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n, h2c!\r\n0\r\n\r\n");
      connection.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      await().atMost(Duration.ofSeconds(10)).until(() -> up.count("/upgrading") == 1);
    }
    assertThat(up.last().bodyText()).isEqualTo("hello, h2c!");
  }

  @Test
  void forwardsNoBodyForAnHttp2RequestThatHasNone() {
    try (H2c client = H2c.priorKnowledge(gw.port())) {
      var r = client.send(HttpMethod.GET, "/t/api/plain", Map.of(), null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(up.last().body().length()).isZero();
      assertThat(up.last().method()).isEqualTo("GET");
    }
  }

  @Test
  void servesTheEnvelopeRoutesOverHttp2Too() {
    try (H2c client = H2c.priorKnowledge(gw.port())) {
      var r = client.send(HttpMethod.POST, "/proxy/http", Map.of(),
          "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/enveloped\", \"body\": \"b\"}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(up.last().bodyText()).isEqualTo("b");
    }
  }
}
