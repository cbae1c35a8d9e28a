package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 9112 §3.2 on every route: an HTTP/1.1 request without {@code Host}, with two, or with one that is no
 * {@code host[:port]} is answered 400 in the error format and its connection closed; HTTP/1.0 may leave it out.
 * An absolute-form target never picks the upstream.
 */
class HostHeaderEndToEndTest {
  private static final String SMUGGLED = "GET /t/api/smuggled HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n\r\n";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      admin: {keys_env: ADMIN_KEYS}
      clients:
        - {name: alice, key_env: ALICE_KEY}
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())).env("ADMIN_KEYS", "admin-a").env("ALICE_KEY", "k-alice"));

  /** The head of a request on each kind of route, up to where its Host lines go. */
  private static List<String> requestLines() {
    return List.of("GET /t/api/things HTTP/1.1\r\n", "POST /proxy/http HTTP/1.1\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\n", "GET /admin/status HTTP/1.1\r\n", "GET /healthz HTTP/1.1\r\n",
        "GET /metrics HTTP/1.1\r\n", "GET /nowhere HTTP/1.1\r\n");
  }

  private static void refused(String host, String why) {
    int served = e2e.up().total();
    for (String line : requestLines()) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
        connection.write(line + host + "X-API-Key: k-alice\r\nAuthorization: Bearer admin-a\r\n"
            + "Content-Length: 2\r\n\r\n{}" + SMUGGLED);
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(line + why).isEqualTo(400);
        assertThat(answer.body()).as(line + why).contains("\"INVALID_REQUEST\"").contains("Host")
            .doesNotContain("evil");
        assertThat(answer.header("X-Request-ID")).as(line + why).isNotBlank();
        assertThat(connection.closedByServer()).as(line + why).isTrue();
      }
    }
    assertThat(e2e.up().total()).as("nothing reaches the upstream").isEqualTo(served);
  }

  @Test
  void anHttp11RequestWithoutHostIs400OnEveryRoute() {
    refused("", "no Host");
  }

  @Test
  void twoHostLinesAre400OnEveryRouteEvenWhenTheyAgree() {
    refused("Host: gw\r\nHost: evil.example\r\n", "two Host lines");
    refused("Host: gw\r\nHost: gw\r\n", "two equal Host lines");
  }

  @Test
  void aHostThatIsNoHostAndPortIs400OnEveryRoute() {
    for (String bad : List.of("gw/evil", "evil@gw", "gw:80x", "gw evil", "[::1", "gw:80:81")) {
      refused("Host: " + bad + "\r\n", bad);
    }
  }

  @Test
  void wellFormedHostsAndAnHttp10RequestWithoutHostAreServed() {
    e2e.up().otherwise("* /things", Behavior.status(200));
    for (String host : List.of("gw", "gw:8000", "127.0.0.1:1", "[::1]:8000", "", "my-host.example.com")) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
        connection.write("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertThat(connection.readAnswer().status()).as(host).isEqualTo(200);
      }
    }
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
      connection.write("GET /t/api/things HTTP/1.0\r\nX-API-Key: k-alice\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
  }

  @Test
  void anAbsoluteFormTargetIsRoutedByItsPathAndNeverReachesItsAuthority() {
    e2e.up().otherwise("* /things", Behavior.status(200));
    int before = e2e.up().count("/things");
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
      connection.write("GET http://other.example/t/api/things HTTP/1.1\r\nHost: other.example\r\n"
          + "X-API-Key: k-alice\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
      connection.write("GET http://other.example/healthz HTTP/1.1\r\nHost: gw\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/things")).isEqualTo(before + 1);
    assertThat(e2e.up().last().header("Host")).isEqualTo("127.0.0.1:" + e2e.up().port());
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
      connection.write("GET http://other.example/t/api/things HTTP/1.1\r\nX-API-Key: k-alice\r\n\r\n");
      assertThat(connection.readAnswer().status()).as("the authority of the target is no Host").isEqualTo(400);
      assertThat(connection.closedByServer()).isTrue();
    }
  }
}
