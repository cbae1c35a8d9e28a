package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An error answered before the request body was read (401, 413, a bad path) closes the connection: the
 * unread bytes can never be taken for the next request, and the client is not left waiting on a connection
 * the server will not read from again.
 */
class UnreadBodyEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {port: 0, max_body_bytes: 1048576}
      clients:
        - {name: app, key_env: APP_KEY}
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())).env("APP_KEY", "app-key"));

  private static RawConnection connection() {
    return RawConnection.open(e2e.gw().port(), 5_000);
  }

  @Test
  void closesAfterA401WhoseBodyHidesAnotherRequest() {
    String smuggled = "GET /t/api/smuggled HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\n\r\n";
    try (RawConnection connection = connection()) {
      connection.write("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
          + smuggled);
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void sendsA401WhoseChunkedBodyTurnsOutMalformedBeforeClosing() {
    try (RawConnection connection = connection()) {
      connection.write("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.body()).contains("\"UNAUTHORIZED\"");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void closesAfterA413WhoseBodyIsStillComing() {
    for (String route : new String[] {"/proxy/http", "/t/api/upload"}) {
      try (RawConnection connection = connection()) {
        connection.write("POST " + route + " HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\nContent-Length: 20971520\r\n\r\n")
            .write(new byte[64 * 1024]);
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(route).isEqualTo(413);
        assertThat(answer.header("Connection")).as(route).isEqualTo("close");
        assertThat(connection.closedByServer()).as(route).isTrue();
      }
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void closesAfterA413ForAChunkedBodyThatOutgrowsTheLimit() {
    try (RawConnection connection = connection()) {
      connection.write("POST /proxy/http HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "180000\r\n").write(new byte[0x180000]);
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void closesAfterABadPathWhoseBodyWasNotRead() {
    try (RawConnection connection = connection()) {
      connection.write("POST /t/api/a/..;/admin HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\nContent-Length: 5\r\n\r\nhello");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void keepsTheConnectionOfA401WithoutABody() {
    try (RawConnection connection = connection()) {
      connection.write("GET /t/api/first HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(401);
      connection.write("GET /t/api/second HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\n\r\n");
      RawConnection.Answer second = connection.readAnswer();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("Connection")).isNull();
    }
    assertThat(e2e.up().count("/second")).isEqualTo(1);
  }

  @Test
  void keepsTheConnectionOfAnErrorWhoseBodyWasRead() {
    try (RawConnection connection = connection()) {
      String bad = "{\"target\": \"api\"}";
      connection.write("POST /proxy/http HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\nContent-Length: " + bad.length()
          + "\r\n\r\n" + bad);
      assertThat(connection.readAnswer().status()).isEqualTo(400);
      connection.write("GET /t/api/next HTTP/1.1\r\nHost: x\r\nX-API-Key: app-key\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
  }
}
