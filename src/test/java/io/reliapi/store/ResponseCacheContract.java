package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Headers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ResponseCache} must do, in memory or in Redis. */
public abstract class ResponseCacheContract {
  /** A quota that never runs out. */
  protected static final Quota ANYONE = new Quota("anyone", Long.MAX_VALUE);
  protected ResponseCache cache;

  /** Returns a new, empty cache. */
  protected abstract ResponseCache newCache();

  /** Lets {@code duration} pass for the cache. */
  protected abstract void elapse(Duration duration);

  @BeforeEach
  void createCache() {
    cache = newCache();
  }

  @AfterEach
  void closeCache() throws Exception {
    if (cache instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  protected static <T> T get(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cache operation did not complete", e);
    }
  }

  protected static CacheEntry.Response response(String body) {
    return new CacheEntry.Response(new StoredReply(200,
        Headers.of("Content-Type", "application/json", "ETag", "\"v1\""), Buffer.buffer(body), 5_000));
  }

  @Test
  void anAbsentKeyIsAMiss() {
    assertThat(get(cache.get("nothing"))).isEmpty();
  }

  @Test
  void aStoredResponseComesBackWhole() {
    get(cache.put("k", response("{\"a\":1}"), 60_000, ANYONE));
    var entry = (CacheEntry.Response) get(cache.get("k")).orElseThrow();
    assertThat(entry.reply().status()).isEqualTo(200);
    assertThat(entry.reply().body().toString()).isEqualTo("{\"a\":1}");
    assertThat(entry.reply().headers().get("etag")).isEqualTo("\"v1\"");
    assertThat(entry.reply().storedAtMillis()).isEqualTo(5_000);
  }

  @Test
  void aVariantIndexComesBackWithItsHeaderNames() {
    get(cache.put("k", new CacheEntry.Variants(List.of("x-tenant", "x-zone")), 60_000, ANYONE));
    assertThat(get(cache.get("k")).orElseThrow())
        .isEqualTo(new CacheEntry.Variants(List.of("x-tenant", "x-zone")));
  }

  @Test
  void anEntryExpiresAfterItsOwnTtl() {
    get(cache.put("short", response("s"), 2_000, ANYONE));
    get(cache.put("long", response("l"), 10_000, ANYONE));
    elapse(Duration.ofMillis(1_500));
    assertThat(get(cache.get("short"))).isPresent();
    elapse(Duration.ofMillis(1_000));
    assertThat(get(cache.get("short"))).isEmpty();
    assertThat(get(cache.get("long"))).isPresent();
    elapse(Duration.ofMillis(8_000));
    assertThat(get(cache.get("long"))).isEmpty();
  }

  @Test
  void aPutReplacesTheEntryAndItsTtl() {
    get(cache.put("k", response("old"), 2_000, ANYONE));
    get(cache.put("k", response("new"), 10_000, ANYONE));
    elapse(Duration.ofMillis(3_000));
    var entry = (CacheEntry.Response) get(cache.get("k")).orElseThrow();
    assertThat(entry.reply().body().toString()).isEqualTo("new");
  }

  private static CacheEntry.Response sized(int bytes) {
    return response("x".repeat(bytes));
  }

  /** Three entries of about 3.2 KB fit in this quota, four do not, however a store measures them. */
  private static final long ROOM_FOR_THREE = 10_000;

  @Test
  void aClientWhoseEntriesFillItsQuotaStoresNoMoreWhileOtherClientsDo() {
    Quota a = new Quota("a", ROOM_FOR_THREE);
    for (int i = 1; i <= 4; i++) {
      get(cache.put("a" + i, sized(3000), 60_000, a));
    }
    assertThat(get(cache.get("a1"))).isPresent();
    assertThat(get(cache.get("a3"))).isPresent();
    assertThat(get(cache.get("a4"))).isEmpty();
    get(cache.put("b1", sized(3000), 60_000, new Quota("b", ROOM_FOR_THREE)));
    assertThat(get(cache.get("b1"))).isPresent();
  }

  @Test
  void entriesStopCountingWhenTheirTtlEnds() {
    Quota a = new Quota("a", ROOM_FOR_THREE);
    for (int i = 1; i <= 3; i++) {
      get(cache.put("a" + i, sized(3000), 2_000, a));
    }
    get(cache.put("later", sized(3000), 60_000, a));
    assertThat(get(cache.get("later"))).isEmpty();
    elapse(Duration.ofMillis(2_500));
    get(cache.put("later", sized(3000), 60_000, a));
    assertThat(get(cache.get("later"))).isPresent();
  }

  @Test
  void anEntryStoredAgainCountsOnce() {
    Quota a = new Quota("a", ROOM_FOR_THREE);
    for (int i = 0; i < 5; i++) {
      get(cache.put("same", sized(3000), 60_000, a));
    }
    get(cache.put("a2", sized(3000), 60_000, a));
    get(cache.put("a3", sized(3000), 60_000, a));
    assertThat(get(cache.get("same"))).isPresent();
    assertThat(get(cache.get("a3"))).isPresent();
  }

  @Test
  void aQuotaOfNothingStoresNothing() {
    get(cache.put("k", sized(10), 60_000, new Quota("a", 0)));
    assertThat(get(cache.get("k"))).isEmpty();
  }
}
