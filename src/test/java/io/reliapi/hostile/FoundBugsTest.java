package io.reliapi.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Regression tests for the bugs the hostile-input properties found, one plain example each. */
class FoundBugsTest {
  static HostileGateway gw;

  @BeforeAll
  static void start() {
    gw = HostileGateway.start();
  }

  @AfterAll
  static void stop() {
    try {
      gw.assertLogsSafe();
    } finally {
      gw.close();
    }
  }

  @Test
  void aPromptWithAnUnpairedSurrogateIsCountedAndAnsweredOnAnAnthropicTarget() {
    // JSON may escape half a surrogate pair; the token counter used to throw an AssertionError on it, which
    // escaped every guard and left the request hanging without an answer.
    String proxy = "{\"target\": \"claude\", \"messages\": [{\"role\": \"user\", \"content\": \"a\\ud800b\"}]}";
    String v1 = "{\"model\": \"claude/claude-haiku-4-5\", \"messages\": [{\"role\": \"user\", \"content\": \"\\ude00\"}]}";

    RawClient.Answer viaProxy = gw.post("/proxy/llm", proxy.getBytes(StandardCharsets.UTF_8), Map.of());
    RawClient.Answer viaV1 = gw.post("/v1/chat/completions", v1.getBytes(StandardCharsets.UTF_8), Map.of());

    gw.assertSafe(viaProxy);
    gw.assertSafe(viaV1);
    assertThat(viaProxy.status()).isEqualTo(200);
    assertThat(Shapes.json(viaProxy).path("data").path("content").asText()).isEqualTo("Bonjour");
    assertThat(viaV1.status()).isEqualTo(200);
    assertThat(Shapes.json(viaV1).path("choices").path(0).path("message").path("content").asText()).isEqualTo("Bonjour");
  }

  @Test
  void anUpgradeToH2cHeaderIsAnOrdinaryHeaderAndTheRequestIsAnswered() {
    // With h2c on, Vert.x answered "Upgrade: h2c" without HTTP2-Settings with a 400 that had no length and
    // left the connection open, so the client waited for the idle timeout (60 s) on any route.
    byte[] body = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    List<byte[]> lines = new ArrayList<>(HostileGateway.baseHeaders(body.length, Map.of()));
    lines.add(RawClient.line("Upgrade: h2c"));

    RawClient.Answer passThrough = RawClient.send(gw.port(), RawClient.head("POST /t/api/x HTTP/1.1", lines), body,
        gw.waitMs());

    gw.assertSafe(passThrough);
    assertThat(passThrough.status()).isEqualTo(200);
    assertThat(passThrough.text()).contains("/base/x");
  }

  @Test
  void rawUtf8InAPassThroughPathReachesTheUpstreamAsTheSameBytes() {
    // The request line arrives as one character per byte; re-encoding those characters as UTF-8 sent
    // "/caf%C3%83%C2%A9" for "/café": a different path.
    gw.answerEverything();
    byte[] line = "GET /t/api/caf\u00e9?q=\u00e9&r=%C3%A9 HTTP/1.1".getBytes(StandardCharsets.UTF_8);
    RawClient.Answer answer = RawClient.send(gw.port(), RawClient.head(new String(line, StandardCharsets.ISO_8859_1),
        HostileGateway.baseHeaders(0, Map.of())), new byte[0], gw.waitMs());

    gw.assertSafe(answer);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(gw.up.last().uri()).isEqualTo("/base/caf%C3%A9?q=%C3%A9&r=%C3%A9");
  }

  @Test
  void aQueryWithoutAPathGoesToTheBaseUrlItself() {
    // "/t/api?a=1" was forwarded as "/base/?a=1", a different resource than "/base?a=1".
    gw.answerEverything();
    RawClient.Answer answer = RawClient.send(gw.port(), RawClient.head("GET /t/api?a=1 HTTP/1.1",
        HostileGateway.baseHeaders(0, Map.of())), new byte[0], gw.waitMs());

    gw.assertSafe(answer);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(gw.up.last().uri()).isEqualTo("/base?a=1");
  }
}
