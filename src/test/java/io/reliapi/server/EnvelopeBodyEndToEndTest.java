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
  void keepsAByteOrderMarkInFrontOfTextThatIsNotJsonAsPartOfTheString() {
    e2e.up().otherwise("GET /bom-text", Behavior.respond(200, Map.of("Content-Type", "application/json"),
        Buffer.buffer("\uFEFFnot json".getBytes(StandardCharsets.UTF_8))));
    var r = get("/bom-text");
    assertThat(r.json().get("data").get("body").asText()).isEqualTo("\uFEFFnot json");
  }
}
