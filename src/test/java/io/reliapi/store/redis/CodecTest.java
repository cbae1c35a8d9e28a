package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Headers;
import io.reliapi.store.CacheEntry;
import io.reliapi.store.Outcome;
import io.reliapi.store.StoredReply;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte layout of what the Redis stores keep, as plain functions. */
class CodecTest {
  private static final StoredReply REPLY = new StoredReply(203,
      Headers.of("Content-Type", "application/octet-stream", "X-Ünïcode", "välue", "Set-Cookie", "a=1",
          "Set-Cookie", "b=2"),
      Buffer.buffer(new byte[] {0, 1, (byte) 0xff, 13, 10, 0}), 1_234_567);

  @Test
  void aCachedAnswerComesBackByteForByteWhileFresh() {
    Buffer bytes = Codec.cacheEntry(new CacheEntry.Response(REPLY), 10_000);
    StoredReply back = ((CacheEntry.Response) Codec.cacheEntry(bytes, 9_999)).reply();
    assertThat(back.status()).isEqualTo(203);
    assertThat(back.storedAtMillis()).isEqualTo(1_234_567);
    assertThat(back.body().getBytes()).isEqualTo(REPLY.body().getBytes());
    assertThat(back.headers().all("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(back.headers().get("x-ünïcode")).isEqualTo("välue");
  }

  @Test
  void anEntryPastItsExpiryReadsAsAbsent() {
    assertThat(Codec.cacheEntry(Codec.cacheEntry(new CacheEntry.Response(REPLY), 10_000), 10_000)).isNull();
  }

  @Test
  void aVariantIndexComesBack() {
    Buffer bytes = Codec.cacheEntry(new CacheEntry.Variants(List.of("x-a", "x-b")), 10_000);
    assertThat(Codec.cacheEntry(bytes, 0)).isEqualTo(new CacheEntry.Variants(List.of("x-a", "x-b")));
  }

  @Test
  void everyOutcomeComesBack() {
    assertThat(Codec.outcome(Codec.outcome(new Outcome.Unknown()))).isInstanceOf(Outcome.Unknown.class);
    assertThat(Codec.outcome(Codec.outcome(new Outcome.NotStored()))).isInstanceOf(Outcome.NotStored.class);
    StoredReply back = ((Outcome.Replied) Codec.outcome(Codec.outcome(new Outcome.Replied(REPLY)))).reply();
    assertThat(back.body().getBytes()).isEqualTo(REPLY.body().getBytes());
  }

  @Test
  void aLayoutOfAnotherVersionReadsAsAbsentRatherThanMisread() {
    Buffer future = Codec.cacheEntry(new CacheEntry.Response(REPLY), 10_000).setByte(0, (byte) 9);
    assertThat(Codec.cacheEntry(future, 0)).isNull();
    assertThat(Codec.outcome(Buffer.buffer(new byte[] {9, 'P'}))).isNull();
    assertThat(Codec.cacheEntry(Buffer.buffer("junk"), 0)).isNull();
  }
}
