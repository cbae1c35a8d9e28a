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
    get(cache.put("k", response("{\"a\":1}"), 60_000));
    var entry = (CacheEntry.Response) get(cache.get("k")).orElseThrow();
    assertThat(entry.reply().status()).isEqualTo(200);
    assertThat(entry.reply().body().toString()).isEqualTo("{\"a\":1}");
    assertThat(entry.reply().headers().get("etag")).isEqualTo("\"v1\"");
    assertThat(entry.reply().storedAtMillis()).isEqualTo(5_000);
  }

  @Test
  void aVariantIndexComesBackWithItsHeaderNames() {
    get(cache.put("k", new CacheEntry.Variants(List.of("x-tenant", "x-zone")), 60_000));
    assertThat(get(cache.get("k")).orElseThrow())
        .isEqualTo(new CacheEntry.Variants(List.of("x-tenant", "x-zone")));
  }

  @Test
  void anEntryExpiresAfterItsOwnTtl() {
    get(cache.put("short", response("s"), 2_000));
    get(cache.put("long", response("l"), 10_000));
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
    get(cache.put("k", response("old"), 2_000));
    get(cache.put("k", response("new"), 10_000));
    elapse(Duration.ofMillis(3_000));
    var entry = (CacheEntry.Response) get(cache.get("k")).orElseThrow();
    assertThat(entry.reply().body().toString()).isEqualTo("new");
  }
}
