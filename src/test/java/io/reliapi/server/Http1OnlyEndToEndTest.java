package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway speaks HTTP/1.1 only (h2c is off): a request asking to upgrade to h2c is served as the
 * HTTP/1.1 request it is, its body forwarded, and the HTTP/2 preface is refused. No WebSockets either: an
 * upgrade to one is served as the plain GET it also is.
 */
class Http1OnlyEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())));

  @Test
  void servesARequestAskingForH2cAsHttp11AndForwardsItsChunkedBody() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      connection.write("POST /t/api/upgrading HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n, h2c!\r\n0\r\n\r\n");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.head()).startsWith("HTTP/1.1 200");
    }
    assertThat(e2e.up().last().bodyText()).isEqualTo("hello, h2c!");
    assertThat(e2e.up().last().header("upgrade")).isNull();
    assertThat(e2e.up().last().header("http2-settings")).isNull();
  }

  @Test
  void answersAnUpgradeWithoutSettingsAndKeepsTheConnectionServing() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      connection.write("GET /t/api/first HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
      connection.write("GET /t/api/second HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/second")).isEqualTo(1);
  }

  @Test
  void servesAWebSocketUpgradeAsThePlainRequestItIs() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      connection.write("GET /t/api/socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).as("no 101 Switching Protocols").isEqualTo(200);
      assertThat(answer.head().toLowerCase()).doesNotContain("sec-websocket");
      connection.write("GET /t/api/after HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/socket")).isEqualTo(1);
    assertThat(e2e.up().requests().get(0).header("upgrade")).isNull();
  }

  @Test
  void refusesAConnectionThatOpensWithTheHttp2Preface() {
    String answer = RawHttp.exchange(e2e.gw().port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        + new String(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}, java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(answer).as("an HTTP/1 status line, no HTTP/2 frames").startsWith("HTTP/");
    assertThat(RawHttp.status(answer)).isEqualTo(501);
    assertThat(e2e.up().total()).isZero();
  }
}
