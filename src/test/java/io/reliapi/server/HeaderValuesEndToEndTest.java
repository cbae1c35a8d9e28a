package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Header fields no upstream may receive (RFC 9110 §5) are refused with 400 before any attempt: nothing is
 * sent, the breaker does not count it, and an idempotency key is released at once.
 */
class HeaderValuesEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api:
          base_url: "%1$s"
          timeout_ms: 20000
          circuit: {error_threshold: 1, cooldown_s: 600}
        llm:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())));

  private static String envelope(String headersJson, String key) {
    return "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/pay\", \"headers\": " + headersJson
        + ", \"body\": \"x\"" + (key == null ? "" : ", \"idempotency_key\": \"" + key + "\"") + "}";
  }

  @Test
  void refusesEveryControlCharacterInAnEnvelopeHeaderValue() {
    for (String bad : new String[] {"\\u0001", "\\u007f", "\\u001f", "\\u000b", "\\u0000", "\\r", "\\u0100"}) {
      var r = e2e.gw().http.post("/proxy/http", envelope("{\"X-Bad\": \"a" + bad + "b\"}", null));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void refusesHeaderNamesThatAreNotTokens() {
    for (String bad : new String[] {"X Bad", "X:Bad", "X\\u0001", "caf\\u00e9", "(x)"}) {
      var r = e2e.gw().http.post("/proxy/http", envelope("{\"" + bad + "\": \"v\"}", null));
      assertThat(r.status()).as(bad).isEqualTo(400);
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aRefusedHeaderReleasesTheKeyAndLeavesTheBreakerClosed() {
    var bad = e2e.gw().http.post("/proxy/http", envelope("{\"X-Bad\": \"a\\u0001b\"}", "pay-1"));
    assertThat(bad.status()).isEqualTo(400);
    var good = e2e.gw().http.post("/proxy/http", envelope("{\"X-Good\": \"ok\"}", "pay-1"));
    assertThat(good.status()).as("the key executes: nothing was sent the first time").isEqualTo(200);
    assertThat(good.json().get("meta").get("idempotent_hit").asBoolean()).isFalse();
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @Test
  void forwardsTabsAndLatinOneCharactersWhichFieldValuesMayHold() {
    var r = e2e.gw().http.post("/proxy/http", envelope("{\"X-Tab\": \"a\\tb\", \"X-Latin\": \"caf\\u00e9\"}", null));
    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().last().header("X-Tab")).isEqualTo("a\tb");
    assertThat(e2e.up().last().header("X-Latin")).isEqualTo("caf\u00e9");
  }

  @Test
  void refusesAnIdempotencyKeyThatWouldBeAnInvalidHeaderOnTheLlmRoutes() {
    var r = e2e.gw().http.post("/proxy/llm", "{\"target\": \"llm\", \"idempotency_key\": \"a\\u0001b\","
        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    assertThat(e2e.up().total()).isZero();
  }
}
