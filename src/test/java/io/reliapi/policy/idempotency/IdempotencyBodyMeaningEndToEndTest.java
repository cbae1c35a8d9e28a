package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same idempotency key and the same body bytes under another {@code Content-Type} (JSON, then a form) or
 * {@code Content-Encoding} (gzip, then none) are another request: the upstream reads the bytes otherwise, so the
 * second gets 422 IDEMPOTENCY_CONFLICT, never the first one's answer (IETF draft-ietf-httpapi-idempotency-key-header
 * §2.7, as Stripe does); the same request, however its media type is spelt, still replays. In memory and in Redis.
 */
class IdempotencyBodyMeaningEndToEndTest {
  /** Bytes that are canonical JSON and a form field's name alike. */
  private static final String BYTES = "{\"amount\":1}";

  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start(String store) {
    String redisLine = store.equals("redis") ? "redis: {url: \"" + redis.url() + "\"}\n" : "";
    e2e.start(GatewayHarness.yaml(redisLine + """
        targets:
          shop:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + TestYaml.ONE_ATTEMPT.indent(4)));
    e2e.up().otherwise("POST /pay", call -> call.request().response().setStatusCode(201)
        .putHeader("Content-Type", "application/json")
        .end("{\"read_as\":\"" + call.request().getHeader("Content-Type") + "\"}"));
  }

  private Res pay(String key, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Idempotency-Key";
    all[1] = key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return e2e.gw().http.post("/t/shop/pay", BYTES, all);
  }

  private static void assertConflict(Res res) {
    assertThat(res.status()).as(res.body()).isEqualTo(422);
    assertThat(res.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(res.header("Idempotent-Replayed")).isNull();
    assertThat(res.body()).doesNotContain("read_as");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void theSameBytesAsAFormAfterJsonAreAnotherRequest(String store) {
    start(store);
    Res json = pay("pay-1", "Content-Type", "application/json");
    assertThat(json.status()).isEqualTo(201);

    assertConflict(pay("pay-1", "Content-Type", "application/x-www-form-urlencoded"));
    assertConflict(pay("pay-1", "Content-Type", "application/json", "Content-Encoding", "gzip"));

    Res again = pay("pay-1", "Content-Type", "Application/JSON; charset=UTF-8");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(json.body());
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aGzippedBodyAndTheSameBytesUncodedAreAnotherRequest(String store) {
    start(store);
    Res form = pay("pay-2", "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
    assertThat(form.status()).isEqualTo(201);

    assertConflict(pay("pay-2", "Content-Type", "application/x-www-form-urlencoded"));
    assertConflict(pay("pay-2", "Content-Type", "application/json", "Content-Encoding", "gzip"));

    Res again = pay("pay-2", "Content-Type", "application/X-WWW-form-urlencoded", "Content-Encoding", "x-gzip");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(form.body());
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }
}
