package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A body sent to a route that reads none ({@code /healthz}, {@code /readyz}, {@code /metrics}, {@code /v1/models}): up
 * to 64 KiB with a {@code Content-Length} it is read and dropped and the connection serves the next request; a larger
 * one is 413 and the connection closes.
 */
class BodilessRouteBodyEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: alice, key_env: ALICE_KEY}
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())).env("ALICE_KEY", "k-alice"));

  private static final List<String> ROUTES = List.of("/healthz", "/readyz", "/metrics", "/v1/models");

  private static String get(String path, String body) {
    return "GET " + path + " HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\nContent-Length: " + body.length()
        + "\r\n\r\n" + body;
  }

  @Test
  void aSmallBodyIsReadAndDroppedAndTheConnectionServesTheNextRequest() {
    for (String route : ROUTES) {
      for (String body : List.of("hello", "x".repeat(64 * 1024))) {
        try (RawConnection connection = RawConnection.open(e2e.gw().port(), 1_500)) {
          connection.write(get(route, body));
          RawConnection.Answer answer = connection.readAnswer();
          assertThat(answer.status()).as(route).isEqualTo(200);
          assertThat(answer.header("Connection")).as(route).isNull();
          connection.write(get("/healthz", ""));
          assertThat(connection.readAnswer().status()).as(route + ", next request").isEqualTo(200);
          assertThat(connection.closedByServer()).as(route).isFalse();
        }
      }
    }
  }

  @Test
  void aBodyOver64KiBIs413AndTheConnectionCloses() {
    for (String route : ROUTES) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
        connection.write(get(route, "x".repeat(64 * 1024 + 1)));
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(route).isEqualTo(413);
        assertThat(answer.body()).as(route).contains("PAYLOAD_TOO_LARGE");
        assertThat(answer.header("Connection")).as(route).isEqualToIgnoringCase("close");
        assertThat(connection.closedByServer()).as(route).isTrue();
      }
    }
  }
}
