package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyed requests an idempotency key is seldom sent with (redteam4's attacks that held): a {@code HEAD}, and a request
 * that tells the cache {@code no-store}. The key still executes the request once and replays it; the cache's
 * directives are not the key's, since a stored outcome is what makes a retry safe.
 */
class KeyedOddRequestsEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private final AtomicInteger calls = new AtomicInteger();

  private void start(String targetExtras) {
    e2e.up().otherwise("GET /report", call -> call.request().response().putHeader("Content-Type", "application/json")
        .putHeader("X-Call", Integer.toString(calls.incrementAndGet())).end("{\"rows\":3}"));
    e2e.up().otherwise("HEAD /report", call -> call.request().response().putHeader("Content-Type", "application/json")
        .putHeader("X-Call", Integer.toString(calls.incrementAndGet())).end());
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + targetExtras).indent(4)));
  }

  @Test
  void aKeyedHeadExecutesOnceReplaysAndIsAnotherRequestThanAGet() {
    start("");
    Res first = e2e.gw().http.method("HEAD", "/t/api/report", null, "Idempotency-Key", "k-head");
    Res again = e2e.gw().http.method("HEAD", "/t/api/report", null, "Idempotency-Key", "k-head");
    Res get = e2e.gw().http.get("/t/api/report", "Idempotency-Key", "k-head");

    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("X-Call")).isEqualTo(first.header("X-Call")).isEqualTo("1");
    assertThat(again.body()).isEmpty();
    assertThat(get.status()).isEqualTo(422);
    assertThat(get.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void aKeyedRequestThatTellsTheCacheNoStoreIsStillKeptForItsKey() {
    start("cache: {enabled: true, ttl_s: 60}\n");
    Res first = e2e.gw().http.get("/t/api/report", "Idempotency-Key", "k-ns", "Cache-Control", "no-store");
    Res again = e2e.gw().http.get("/t/api/report", "Idempotency-Key", "k-ns", "Cache-Control", "no-store");
    Res unkeyed = e2e.gw().http.get("/t/api/report", "Cache-Control", "max-age=60");

    assertThat(first.header("X-Call")).isEqualTo("1");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("X-Call")).isEqualTo("1");
    assertThat(again.body()).isEqualTo("{\"rows\":3}");
    // Nothing went into the cache: an unkeyed request executes.
    assertThat(unkeyed.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(unkeyed.header("X-Call")).isEqualTo("2");
    assertThat(calls.get()).isEqualTo(2);
  }
}
