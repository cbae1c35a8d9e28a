package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON bodies that a parser reading them as doubles, last member wins and any byte order mark skipped would take
 * for one another, while the upstream, which gets the client's bytes on {@code /t/}, may not: a duplicate member
 * name, a decimal with more digits than a double keeps, a number too large or too small for one, a byte order
 * mark. The same key with such a body is another request (422), never a replay of the first one's answer. Found
 * by redteam4: each pair was one fingerprint.
 */
class JsonLookalikesEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /pay", call -> call.request().response().setStatusCode(201)
        .putHeader("Content-Type", "application/json").end("{\"call\":" + calls.incrementAndGet() + "}"));
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + TestYaml.ONE_ATTEMPT.indent(4)));
  }

  private Res post(String body, String key) {
    return e2e.gw().http.post("/t/api/pay", body, "Idempotency-Key", key, "Content-Type", "application/json");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"amount\":1,\"amount\":2}     | {\"amount\":2}",
      "{\"amount\":2}                  | {\"amount\":1,\"amount\":2}",
      "{\"amount\":0.1}                | {\"amount\":0.10000000000000001}",
      "{\"amount\":12345678.123456789} | {\"amount\":12345678.12345679}",
      "{\"amount\":1e400}              | {\"amount\":2e400}",
      "{\"amount\":\"Infinity\"}       | {\"amount\":1e400}",
      "{\"amount\":0.0}                | {\"amount\":1e-400}",
      "{\"amount\":5}                  | \uFEFF{\"amount\":5}"})
  void aBodyThatOnlyAParserCouldTakeForTheFirstIsAConflict(String first, String second) {
    start();
    Res one = post(first, "k-1");
    Res two = post(second, "k-1");

    assertThat(one.status()).isEqualTo(201);
    assertThat(two.status()).as(second).isEqualTo(422);
    assertThat(two.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
      "e08181, 41", // an overlong form of "A"
      "eda080, eda081", // two encoded surrogates, which a lenient decoder may read as one replacement character
      "f4908080, f4908081"}) // past U+10FFFF
  void aStringThatIsNotStrictUtf8IsNotTakenForAnother(String first, String second) {
    // A review feared the parser reads E0 81 81 as "A", making {"to":"<E0 81 81>"} and {"to":"A"} one fingerprint.
    // Jackson 2.23 refuses such bytes; the gateway checks them itself as well, so a laxer parser would not matter.
    start();
    Res one = e2e.gw().http.post("/t/api/pay", quoted(first), "Idempotency-Key", "k-3",
        "Content-Type", "application/json");
    Res two = e2e.gw().http.post("/t/api/pay", quoted(second), "Idempotency-Key", "k-3",
        "Content-Type", "application/json");

    assertThat(one.status()).isEqualTo(201);
    assertThat(two.status()).as(second).isEqualTo(422);
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  /** Returns {@code {"to":"<the bytes>"}}. */
  private static byte[] quoted(String hex) {
    byte[] inner = HexFormat.of().parseHex(hex);
    byte[] open = "{\"to\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] body = Arrays.copyOf(open, open.length + inner.length + 2);
    System.arraycopy(inner, 0, body, open.length, inner.length);
    body[body.length - 2] = '"';
    body[body.length - 1] = '}';
    return body;
  }

  @Test
  void bodiesThatMeanTheSameStillReplay() {
    start();
    post("{\"b\":[1.5,1e2],\"a\":{\"y\":-0.25,\"x\":\"\\u0041\"}}", "k-2");
    for (String same : new String[] {
        " { \"a\" : {\"x\":\"A\", \"y\":-0.250}, \"b\":[1.50, 100.0] }\n",
        "{\"a\":{\"x\":\"A\",\"y\":-2.5e-1},\"b\":[15E-1,1E+2]}"}) {
      Res again = post(same, "k-2");
      assertThat(again.status()).as(same).isEqualTo(201);
      assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }
}
