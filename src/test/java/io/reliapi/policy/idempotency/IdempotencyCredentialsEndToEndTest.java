package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An idempotency key's replay never hands one upstream credential's answer to a request carrying another. On
 * {@code /t/} the credentials a caller forwards (a {@code Cookie}, an {@code api-key}, an {@code X-Auth-Token}) choose
 * whose answer the upstream gives, as do those in {@code /proxy/http}'s {@code headers}: a service calling through one
 * gateway key on behalf of many users (each with their own session cookie) must not replay one user's answer, and
 * her {@code Set-Cookie}, to another who happens to send the same key and body. The forwarded credentials are part of
 * the fingerprint (found by redteam3, fixed 2026-12-07), in memory and in Redis alike.
 */
class IdempotencyCredentialsEndToEndTest {
  private static final String CART = "{\"cart\":\"c-1\"}";

  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  /** Starts a gateway keeping its keys in {@code store} ("memory" or "redis") in front of target {@code shop}. */
  private void start(String store, String targetLines) {
    String redisLine = store.equals("redis") ? "redis: {url: \"" + redis.url() + "\"}\n" : "";
    e2e.start(GatewayHarness.yaml(redisLine + """
        targets:
          shop:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + targetLines).indent(4)).env("SHOP_KEY", "k-gw"));
  }

  /** The upstream answers an order with whose it is (its cookie and credentials) and a cookie of that session's. */
  private void ordersSayWhose() {
    e2e.up().otherwise("POST /orders", call -> {
      String cookie = String.valueOf(call.request().getHeader("Cookie"));
      call.request().response().setStatusCode(201)
          .putHeader("Content-Type", "application/json")
          .putHeader("Set-Cookie", "cart=" + cookie.replace("session=", "") + "-paid")
          .end("{\"owner\":\"" + cookie + "\",\"auth\":\"" + call.request().getHeader("Authorization")
              + "\",\"user\":\"" + call.request().getHeader("X-User-Id") + "\",\"card\":\"4242\"}");
    });
  }

  private Res order(String key, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Idempotency-Key";
    all[1] = key;
    all[2] = "Content-Type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return e2e.gw().http.post("/t/shop/orders", CART, all);
  }

  /** Asserts a 422 {@code IDEMPOTENCY_CONFLICT}: as problem+json ({@code /t/}) or in the envelope's {@code error}. */
  private static void assertConflict(Res res) {
    assertThat(res.status()).isEqualTo(422);
    var error = res.json().has("error") ? res.json().get("error") : res.json();
    assertThat(error.get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(res.header("Idempotent-Replayed")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void aKeyRepeatedWithAnotherSessionCookieIsNeverAnsweredWithTheFirstSessionsAnswer(String store) {
    ordersSayWhose();
    start(store, "");

    Res alice = order("checkout-c-1", "Cookie", "session=alice");
    assertThat(alice.status()).isEqualTo(201);
    assertThat(alice.body()).contains("session=alice");

    Res bob = order("checkout-c-1", "Cookie", "session=bob");

    // Refused as another request (422): never alice's answer.
    assertConflict(bob);
    assertThat(bob.body()).doesNotContain("session=alice").doesNotContain("4242");
    // Nor her cookie: replays keep Set-Cookie, so bob's browser would be handed alice's.
    assertThat(String.valueOf(bob.header("Set-Cookie"))).doesNotContain("alice");
    // Nor is the value told back in the error.
    assertThat(bob.body()).doesNotContain("session=bob");
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void theSameSessionsRepeatIsReplayedAsBefore(String store) {
    ordersSayWhose();
    start(store, "");

    Res first = order("checkout-c-2", "Cookie", "session=alice", "X-Trace", "1");
    Res again = order("checkout-c-2", "cookie", "session=alice", "X-Trace", "2");

    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("Set-Cookie")).isEqualTo("cart=alice-paid");
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void onTheEnvelopeAnotherAuthorizationInHeadersIsAnotherRequestAndTheSameOneReplays(String store) {
    ordersSayWhose();
    start(store, "");
    String envelope = "{\"target\":\"shop\",\"method\":\"POST\",\"path\":\"/orders\",\"idempotency_key\":\"env-c-1\","
        + "\"headers\":{\"Authorization\":\"Bearer %s\",\"Content-Type\":\"application/json\"},\"body\":" + CART + "}";

    Res alice = e2e.gw().http.post("/proxy/http", envelope.formatted("alice"));
    assertThat(alice.status()).isEqualTo(201);
    assertThat(alice.json().get("data").get("body").get("auth").asText()).isEqualTo("Bearer alice");

    Res bob = e2e.gw().http.post("/proxy/http", envelope.formatted("bob"));
    assertConflict(bob);
    assertThat(bob.body()).doesNotContain("alice").doesNotContain("Bearer");

    Res aliceAgain = e2e.gw().http.post("/proxy/http", envelope.formatted("alice"));
    assertThat(aliceAgain.status()).isEqualTo(201);
    assertThat(aliceAgain.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(aliceAgain.json().get("data")).isEqualTo(alice.json().get("data"));
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
  }

  @Test
  void anIdentityHeaderForwardedCountsAndOneTheGatewayKeepsToItselfDoesNot() {
    ordersSayWhose();
    start("memory", "");

    Res seven = order("checkout-c-3", "X-User-Id", "7", "Authorization", "Bearer one");
    assertThat(seven.status()).isEqualTo(201);
    assertConflict(order("checkout-c-3", "X-User-Id", "8", "Authorization", "Bearer one"));

    // On /t/ Authorization is the gateway's (a caller's key), never sent on: it cannot change the upstream's
    // answer, so another one is the same request.
    Res again = order("checkout-c-3", "X-User-Id", "7", "Authorization", "Bearer two");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
    assertThat(e2e.up().last().header("Authorization")).isNull();
  }

  @Test
  void theCredentialTheGatewayAddsForTheTargetDoesNotCount() {
    ordersSayWhose();
    start("memory", "auth: {type: bearer_env, env_var: SHOP_KEY}\n");
    String envelope = "{\"target\":\"shop\",\"method\":\"POST\",\"path\":\"/orders\",\"idempotency_key\":\"env-c-2\","
        + "\"body\":" + CART + "}";

    Res first = e2e.gw().http.post("/proxy/http", envelope);
    Res again = e2e.gw().http.post("/proxy/http", envelope);

    assertThat(first.json().get("data").get("body").get("auth").asText()).isEqualTo("Bearer k-gw");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
  }
}
