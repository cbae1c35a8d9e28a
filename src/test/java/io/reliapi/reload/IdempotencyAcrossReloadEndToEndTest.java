package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A keyed request in flight on the old config and its duplicate arriving on the new one, with the state in memory
 * and in Redis: still one upstream call, and the duplicate waits for the first one's answer and gets it, also when
 * the reload changes the target's {@code idempotency} block or takes the client away and gives it back. The
 * upstream holds the call until the test answers it.
 */
class IdempotencyAcrossReloadEndToEndTest extends AcrossReload {
  private static final String KEY = "order-7";

  private String config(String clients, String targetExtras) {
    return "clients:\n" + clients + "targets:\n  api:\n    base_url: \"" + up.baseUrl() + "\"\n"
        + "    retry_matrix: {\"5xx\": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}\n" + targetExtras;
  }

  private static final String BOTH = "  - {name: shop, key_env: SHOP_KEY}\n  - {name: other, key_env: OTHER_KEY}\n";
  private static final String OTHER_ONLY = "  - {name: other, key_env: OTHER_KEY}\n";

  private void start(Store store, String config) {
    up.otherwise("POST /orders", held::add);
    gw = ReloadableGateway.start(dir, store, config, Map.of("SHOP_KEY", "shop-k", "OTHER_KEY", "other-k"));
  }

  private CompletableFuture<Res> order() {
    return gw.http.postAsync("/t/api/orders", "{\"item\": 1}", "X-API-Key", "shop-k", "Idempotency-Key", KEY);
  }

  /** Sends the duplicate and waits until it waits on the gateway, the upstream having seen one call. */
  private CompletableFuture<Res> duplicateThatWaits() {
    CompletableFuture<Res> duplicate = order();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> gw.gw.gateway().inFlight() == 2);
    assertThat(up.count("/orders")).isEqualTo(1);
    return duplicate;
  }

  private void expectOneCallAnsweredToBoth(CompletableFuture<Res> first, CompletableFuture<Res> duplicate)
      throws Exception {
    Behavior.json(201, "{\"order\": 7}").respond(held.poll());
    Res original = first.get(10, TimeUnit.SECONDS);
    Res again = duplicate.get(10, TimeUnit.SECONDS);
    assertThat(original.status()).isEqualTo(201);
    assertThat(again.status()).as(again.body()).isEqualTo(201);
    assertThat(again.body()).isEqualTo("{\"order\": 7}");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(gw.metrics().value("reliapi_coalesced_requests_total", "target", "api")).isEqualTo(1);
    // Later duplicates, on the new config, replay the stored answer.
    Res later = order().get(10, TimeUnit.SECONDS);
    assertThat(later.status()).isEqualTo(201);
    assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/orders")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aDuplicateOnTheNewConfigWaitsForTheRequestOnTheOldOneEvenWhenTheIdempotencyBlockChanged(Store store)
      throws Exception {
    start(store, config(BOTH, "    timeout_ms: 20000\n    idempotency: {ttl_s: 600, coalesce_timeout_s: 30}\n"));
    CompletableFuture<Res> first = order();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    gw.reload(config(BOTH, "    timeout_ms: 25000\n    idempotency: {ttl_s: 60, coalesce_timeout_s: 20}\n"));
    expectOneCallAnsweredToBoth(first, duplicateThatWaits());
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aClientTakenAwayAndGivenBackWhileItsKeyedRequestRunsStillMakesOneUpstreamCall(Store store) throws Exception {
    start(store, config(BOTH, ""));
    CompletableFuture<Res> first = order();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    gw.reload(config(OTHER_ONLY, ""));
    assertThat(order().get(10, TimeUnit.SECONDS).status()).isEqualTo(401);
    gw.reload(config(BOTH, ""));
    expectOneCallAnsweredToBoth(first, duplicateThatWaits());
  }

  /** In memory only: Redis expires a record in its own real time, with the same ttl the request passed it. */
  @Test
  void aRecordKeepsTheTtlOfTheConfigItsRequestStartedOnWhenAReloadShortensIt() throws Exception {
    ManualClock clock = new ManualClock();
    up.otherwise("POST /orders", Behavior.json(201, "{\"order\": 7}"));
    gw = ReloadableGateway.start(dir, Store.MEMORY, config(BOTH, "    idempotency: {ttl_s: 600}\n"),
        Map.of("SHOP_KEY", "shop-k", "OTHER_KEY", "other-k"), clock);
    assertThat(order().get(10, TimeUnit.SECONDS).status()).isEqualTo(201);

    gw.reload(config(BOTH, "    idempotency: {ttl_s: 60}\n"));
    clock.advance(Duration.ofSeconds(599));
    assertThat(order().get(10, TimeUnit.SECONDS).header("Idempotent-Replayed")).isEqualTo("true");
    clock.advance(Duration.ofSeconds(2));
    Res fresh = order().get(10, TimeUnit.SECONDS);
    assertThat(fresh.status()).isEqualTo(201);
    assertThat(fresh.header("Idempotent-Replayed")).isNull();
    assertThat(up.count("/orders")).isEqualTo(2);
    // The new record has the new ttl.
    clock.advance(Duration.ofSeconds(61));
    assertThat(order().get(10, TimeUnit.SECONDS).header("Idempotent-Replayed")).isNull();
    assertThat(up.count("/orders")).isEqualTo(3);
  }
}
