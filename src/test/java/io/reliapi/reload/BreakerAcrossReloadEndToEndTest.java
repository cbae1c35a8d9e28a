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

/**
 * A target's breaker across reloads that leave its {@code circuit} block, base URL and credential alone: an open
 * breaker stays open and half-opens on its own schedule, and a failure of a request that started on the old config
 * counts on it. The breaker lives in the instance's memory whatever the store, so one store is enough; the clock
 * is manual.
 */
class BreakerAcrossReloadEndToEndTest extends AcrossReload {
  private final ManualClock clock = new ManualClock();

  /** Target api with a breaker of two failures and 30 s; {@code i} changes everything else. */
  private String config(int i) {
    String clients = i % 2 == 0 ? "" : "  - {name: extra, key_env: EXTRA_KEY}\n";
    String other = i % 2 == 0 ? "" : "  other: {base_url: \"" + up.baseUrl() + "/other\"}\n";
    return "clients:\n  - {name: shop, key_env: SHOP_KEY}\n" + clients + "targets:\n  api:\n"
        + "    base_url: \"" + up.baseUrl() + "\"\n    timeout_ms: " + (5000 + i) + "\n"
        + "    retry_matrix: {\"5xx\": {attempts: 1}}\n"
        + "    circuit: {error_threshold: 2, cooldown_s: 30}\n" + other;
  }

  private void start() {
    gw = ReloadableGateway.start(dir, Store.MEMORY, config(0), Map.of("SHOP_KEY", "shop-k", "EXTRA_KEY", "extra-k"),
        clock);
  }

  private Res call() {
    return gw.http.get("/t/api/x", "X-API-Key", "shop-k");
  }

  private void assertOpen() {
    Res res = call();
    assertThat(res.status()).isEqualTo(503);
    assertThat(res.body()).contains("CIRCUIT_OPEN");
  }

  @Test
  void anOpenBreakerStaysOpenThroughUnrelatedReloadsAndHalfOpensOnItsOwnSchedule() {
    up.otherwise("GET /x", Behavior.json(500, "{}"));
    start();
    assertThat(call().status()).isEqualTo(500);
    assertThat(call().status()).isEqualTo(500);
    assertOpen();

    clock.advance(Duration.ofSeconds(20));
    gw.reload(config(1));
    assertOpen();
    gw.reload(config(2));
    assertOpen();
    assertThat(up.count("/x")).isEqualTo(2);

    up.otherwise("GET /x", Behavior.json(200, "{}"));
    clock.advance(Duration.ofMillis(10_001));  // just past 30 s since it opened, reloads or not
    assertThat(call().status()).isEqualTo(200);
    assertThat(call().status()).isEqualTo(200);
  }

  @Test
  void aFailureOfARequestThatStartedOnTheOldConfigCountsOnTheKeptBreaker() throws Exception {
    up.script("GET /x", Behavior.json(500, "{}"), held::add);
    start();
    assertThat(call().status()).isEqualTo(500);
    CompletableFuture<Res> straddling = gw.http.getAsync("/t/api/x", "X-API-Key", "shop-k");
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    gw.reload(config(1));
    Behavior.json(500, "{}").respond(held.poll());
    assertThat(straddling.get(10, TimeUnit.SECONDS).status()).isEqualTo(500);
    assertOpen();
    assertThat(up.count("/x")).isEqualTo(2);
  }
}
