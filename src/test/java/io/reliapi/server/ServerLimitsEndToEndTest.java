package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawHttp;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's own limits: slow clients, huge heads, redirects that must not be followed (SPEC §7). */
class ServerLimitsEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("up", "canary"),
      up -> GatewayHarness.yaml("""
        server: {port: 0, idle_timeout_s: 1}
        targets:
          api: {base_url: "%s"}
        """.formatted(up.get("up").baseUrl())));

  @Test
  void closesTheConnectionOfAClientThatStopsSendingHalfWayThroughItsRequest() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", e2e.gw().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /t/api/slow-client HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      int read = in.read();  // blocks until the gateway closes the idle connection
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(read).isEqualTo(-1);
      assertThat(tookMs).as("closed after the server's idle timeout").isLessThan(8_000);
    }
    assertThat(e2e.up("up").count("/slow-client")).isZero();
  }

  @Test
  void deliversAnAnswerThatTakesLongerThanTheIdleTimeoutToArrive() {
    // The client sent its whole request and waits: that is not an idle client, however long the upstream takes.
    e2e.up("up").otherwise("GET /slow-answer", Behavior.delayed(2_500, Behavior.json(200, "{\"ok\":true}")));
    var res = e2e.gw().http.get("/t/api/slow-answer");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void closesAKeptAliveConnectionThatStaysSilentAfterItsAnswer() throws Exception {
    e2e.up("up").otherwise("GET /quick", Behavior.json(200, "{}"));
    try (Socket socket = new Socket("127.0.0.1", e2e.gw().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /t/api/quick HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
      assertThat(in.readNBytes(2)).isEqualTo("{}".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      assertThat(in.read()).as("closed once idle after the answer").isEqualTo(-1);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
    }
  }

  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void refusesOversizedRequestLinesAndHeaderBlocks() {
    String longUri = RawHttp.exchange(e2e.gw().port(), "GET /t/api/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(RawHttp.status(longUri)).isEqualTo(414);
    String bigHeaders = RawHttp.exchange(e2e.gw().port(), "GET /t/api/big-head HTTP/1.1\r\nHost: x\r\nX-Big: "
        + "b".repeat(40_000) + "\r\n\r\n");
    assertThat(RawHttp.status(bigHeaders)).isEqualTo(431);
    assertThat(e2e.up("up").count("/big-head")).isZero();
  }

  @Test
  void passesOnAnUpstreamAnswerWithALargeHeaderBlock() {
    String policy = "p".repeat(12_000);
    e2e.up("up").otherwise("GET /big-answer-head", Behavior.respond(200, Map.of("Content-Security-Policy", policy), "{}"));
    var res = e2e.gw().http.get("/t/api/big-answer-head");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.header("Content-Security-Policy")).isEqualTo(policy);
  }

  @Test
  void answersAnUpstreamHeadTooLargeToReadWithAGatewayError() {
    e2e.up("up").otherwise("GET /huge-answer-head", Behavior.respond(200, Map.of("X-Huge", "h".repeat(70_000)), "{}"));
    var res = e2e.gw().http.get("/t/api/huge-answer-head");
    assertThat(res.status()).isEqualTo(502);
    // The upstream's connection cannot be read past such a head: a network failure, as a reset would be.
    assertThat(res.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(res.body()).doesNotContain("hhhh");
  }

  @Test
  void passesARedirectBackInsteadOfFollowingIt() {
    e2e.up("up").otherwise("GET /moved", Behavior.respond(302, Map.of("Location", e2e.up("canary").baseUrl() + "/internal"), ""));
    var res = e2e.gw().http.get("/t/api/moved");
    assertThat(res.status()).isEqualTo(302);
    assertThat(res.header("Location")).isEqualTo(e2e.up("canary").baseUrl() + "/internal");
    var envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/moved\"}");
    assertThat(envelope.json().get("data").get("status_code").asInt()).isEqualTo(302);
    assertThat(e2e.up("canary").total()).isZero();
  }
}
