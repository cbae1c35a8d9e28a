package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients that speak older or rarer HTTP: each gets a whole, well-framed answer. */
class OddClientsEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api: {base_url: "%s"}
        cached: {base_url: "%s", cache: {enabled: true, ttl_s: 60}}
      """.formatted(up.baseUrl(), up.baseUrl())));

  @Test
  void answersAnHttp10ClientWithoutChunksEvenForAStreamedAnswer() {
    e2e.up().otherwise("GET /chunked", Behavior.chunks(Map.of("Content-Type", "text/plain"), java.util.Collections.nCopies(5, "y".repeat(20_000)), 10));
    String answer = RawHttp.exchange(e2e.gw().port(), "GET /t/api/chunked HTTP/1.0\r\nHost: x\r\n\r\n");
    assertThat(RawHttp.status(answer)).isEqualTo(200);
    assertThat(answer.toLowerCase()).doesNotContain("transfer-encoding");
    assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).isEqualTo("y".repeat(100_000));
  }

  @Test
  void answersTwoPipelinedRequestsInOrder() throws IOException {
    e2e.up().otherwise("GET /one", Behavior.delayed(200, Behavior.json(200, "{\"n\":1}")));
    e2e.up().otherwise("GET /two", Behavior.json(200, "{\"n\":2}"));
    try (Socket socket = new Socket("127.0.0.1", e2e.gw().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /t/api/one HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /t/api/two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer.indexOf("{\"n\":1}")).isPositive().isLessThan(answer.indexOf("{\"n\":2}"));
    }
  }

  @Test
  void answersAHeadFromTheCacheWithoutABody() {
    e2e.up().otherwise("GET /doc", Behavior.respond(200, Map.of("Content-Type", "application/json"), "{\"doc\":true}"));
    e2e.up().otherwise("HEAD /doc", Behavior.respond(200, Map.of("Content-Type", "application/json"), ""));
    assertThat(e2e.gw().http.get("/t/cached/doc").body()).isEqualTo("{\"doc\":true}");
    String head = RawHttp.exchange(e2e.gw().port(), "HEAD /t/cached/doc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(head)).isEqualTo(200);
    assertThat(head).endsWith("\r\n\r\n").doesNotContain("{\"doc\":true}");
  }
}
