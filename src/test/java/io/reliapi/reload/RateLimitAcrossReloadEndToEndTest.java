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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client's rate limit across a reload, in memory and on Redis, on a manual clock: the bucket keeps its tokens
 * when {@code rps} or {@code burst} change (no burst given away by a reload; a lowered burst caps what is saved
 * up), and when a reload rotates the client's key; a request that started with the old key finishes, the next
 * one with it is 401.
 */
class RateLimitAcrossReloadEndToEndTest extends AcrossReload {
  private final ManualClock clock = new ManualClock();

  private String config(String keyEnv, String rateLimit) {
    return "clients:\n  - {name: shop, key_env: " + keyEnv + ", rate_limit: " + rateLimit + "}\n"
        + "targets:\n  api: {base_url: \"" + up.baseUrl() + "\"}\n";
  }

  private void start(Store store, String config) {
    up.otherwise("GET /x", Behavior.json(200, "{}"));
    gw = ReloadableGateway.start(dir, store, config, Map.of("OLD_KEY", "old-k", "NEW_KEY", "new-k"), clock);
  }

  private int call(String key) {
    return gw.http.get("/t/api/x", "X-API-Key", key).status();
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aRaisedBurstGivesNoTokensAwayTheBucketKeepsWhatItHeld(Store store) {
    start(store, config("OLD_KEY", "{rps: 1, burst: 2}"));
    assertThat(call("old-k")).isEqualTo(200);
    assertThat(call("old-k")).isEqualTo(200);
    assertThat(call("old-k")).isEqualTo(429);

    gw.reload(config("OLD_KEY", "{rps: 2, burst: 10}"));
    assertThat(call("old-k")).isEqualTo(429);
    clock.advance(Duration.ofMillis(500));  // one token at the new rate
    assertThat(call("old-k")).isEqualTo(200);
    assertThat(call("old-k")).isEqualTo(429);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aLoweredBurstCapsTheTokensSavedUp(Store store) {
    start(store, config("OLD_KEY", "{rps: 1, burst: 10}"));
    assertThat(call("old-k")).isEqualTo(200);  // the bucket exists, with 9 tokens left

    gw.reload(config("OLD_KEY", "{rps: 1, burst: 2}"));
    assertThat(call("old-k")).isEqualTo(200);
    assertThat(call("old-k")).isEqualTo(200);
    assertThat(call("old-k")).isEqualTo(429);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aRotatedKeyFinishesTheRequestItStartedAndIsRefusedAfterwardsTheClientKeepingItsBucket(Store store)
      throws Exception {
    start(store, config("OLD_KEY", "{rps: 1, burst: 3}"));
    up.script("GET /x", held::add);
    CompletableFuture<Res> started = gw.http.getAsync("/t/api/x", "X-API-Key", "old-k");
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    gw.reload(config("NEW_KEY", "{rps: 1, burst: 3}"));
    assertThat(call("old-k")).isEqualTo(401);
    Behavior.json(200, "{\"old\": true}").respond(held.poll());
    Res res = started.get(10, TimeUnit.SECONDS);
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"old\": true}");
    // The client is the same: its bucket, one token spent with the old key, has two left.
    assertThat(call("new-k")).isEqualTo(200);
    assertThat(call("new-k")).isEqualTo(200);
    assertThat(call("new-k")).isEqualTo(429);
    assertThat(call("old-k")).isEqualTo(401);
  }
}
