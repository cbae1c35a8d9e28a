package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whatever JSON bytes an upstream sends, {@code /proxy/http} answers with a valid envelope. */
class EnvelopeBodyEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())));

  private static TestHttp.Res get(String path) {
    return e2e.gw().http.post("/proxy/http", "{\"target\": \"api\", \"method\": \"GET\", \"path\": \"" + path + "\"}");
  }

  @Test
  void parsesAJsonBodyThatStartsWithAByteOrderMark() {
    e2e.up().otherwise("GET /bom", Behavior.respond(200, Map.of("Content-Type", "application/json; charset=utf-8"),
        Buffer.buffer("\uFEFF{\"id\": 123, \"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8))));
    var r = get("/bom");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data").get("body").get("id").asInt()).isEqualTo(123);
    assertThat(r.json().get("data").get("body").get("name").asText()).isEqualTo("caf\u00e9");
  }

  @Test
  void passesJsonThatIsNotUtf8AsBytesInsteadOfBreakingTheEnvelope() {
    byte[] utf16 = "{\"id\": 7}".getBytes(StandardCharsets.UTF_16BE);
    e2e.up().otherwise("GET /utf16", Behavior.respond(200, Map.of("Content-Type", "application/json"), Buffer.buffer(utf16)));
    var r = get("/utf16");
    assertThat(r.status()).isEqualTo(200);
    assertThat(Base64.getDecoder().decode(r.json().get("data").get("body_base64").asText())).isEqualTo(utf16);
  }

  @Test
  void forwardsTheNumbersOfAJsonBodyAsTheClientWroteThem() {
    // Found by redteam4: the body went upstream as a tree of doubles, so 12345678901234567.5 left as
    // 1.2345678901234568E16, 0.10000000000000001 as 0.1 and 1e400 as the string "Infinity".
    e2e.up().otherwise("POST /numbers", Behavior.status(201));
    String body = "{\"amount\":12345678901234567.5,\"rate\":0.10000000000000001,\"huge\":1e400,"
        + "\"items\":[{\"price\":19.90,\"qty\":3}],\"big\":123456789012345678901234567890}";
    var r = e2e.gw().http.post("/proxy/http",
        "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/numbers\", \"body\": " + body + "}");
    assertThat(r.status()).isEqualTo(201);
    var sent = e2e.up().requests().stream().filter(q -> q.path().equals("/numbers")).findFirst().orElseThrow();
    assertThat(sent.bodyText()).isEqualTo(body);
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void keepsAByteOrderMarkInFrontOfTextThatIsNotJsonAsPartOfTheString() {
    e2e.up().otherwise("GET /bom-text", Behavior.respond(200, Map.of("Content-Type", "application/json"),
        Buffer.buffer("\uFEFFnot json".getBytes(StandardCharsets.UTF_8))));
    var r = get("/bom-text");
    assertThat(r.json().get("data").get("body").asText()).isEqualTo("\uFEFFnot json");
  }
}
