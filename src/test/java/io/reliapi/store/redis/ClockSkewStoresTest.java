package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.RateLimitConfig;
import io.reliapi.http.Headers;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetPeriod;
import io.reliapi.store.CacheEntry;
import io.reliapi.store.Quota;
import io.reliapi.store.RateLimiter;
import io.reliapi.store.Reservation;
import io.reliapi.store.ResponseCache;
import io.reliapi.store.Stores;
import io.reliapi.store.StoredReply;
import io.reliapi.store.UsageLimit;
import io.reliapi.store.UsageLimiter;
import io.reliapi.store.UsageReservation;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared stores of two instances on one Redis whose clocks disagree: what a skew of δ does to rate limits,
 * usage windows, budget periods and cached entries, the bounds docs/operations-redis.md ("Clocks") states.
 * Instance A's clock is at {@link #START}; B's is set off from it per test.
 */
class ClockSkewStoresTest {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private final ManualClock clockA = new ManualClock(START);

  @BeforeEach
  void emptyRedis() {
    fixture.reset();
  }

  private Stores instance(ManualClock clock) {
    return fixture.instance(clock, ManualScheduler.manual(clock));
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store operation did not complete", e);
    }
  }

  private static int granted(RateLimiter limiter, RateLimitConfig limit, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      granted += get(limiter.acquire("skewed", limit)).granted() ? 1 : 0;
    }
    return granted;
  }

  /**
   * B, an hour ahead, refills the bucket once (capped at the burst: δ·rps early), then only by its own elapsed
   * time; A, behind, refills nothing until its clock reaches B's stamp. Alternating between them never refills
   * the burst on every request.
   */
  @Test
  void aClockAnHourAheadRefillsTheBucketOnceAndThenOnlyAtTheRate() {
    ManualClock clockB = new ManualClock(START.plus(Duration.ofHours(1)));
    RateLimiter a = instance(clockA).rateLimits().shared();
    RateLimiter b = instance(clockB).rateLimits().shared();
    RateLimitConfig oneRpsBurstTen = new RateLimitConfig(1, 10);

    assertThat(granted(a, oneRpsBurstTen, 15)).isEqualTo(10);
    assertThat(granted(b, oneRpsBurstTen, 15)).as("B's one early refill, capped at the burst").isEqualTo(10);
    int alternating = 0;
    for (int i = 0; i < 20; i++) {
      alternating += granted(i % 2 == 0 ? a : b, oneRpsBurstTen, 1);
    }
    assertThat(alternating).isZero();

    clockA.advance(Duration.ofSeconds(5));
    clockB.advance(Duration.ofSeconds(5));
    assertThat(granted(a, oneRpsBurstTen, 10) + granted(b, oneRpsBurstTen, 10)).as("5 s at 1 rps").isEqualTo(5);
  }

  /**
   * B, 5 s ahead, drops A's counts from its minute window 5 s early: over the real minute the limit holds over
   * 55 s instead of 60 s, never more often than that.
   */
  @Test
  void aClockFiveSecondsAheadShortensTheMinuteWindowByFiveSecondsAndNoMore() {
    ManualClock clockB = new ManualClock(START.plusSeconds(5));
    UsageLimiter a = instance(clockA).usageLimits().shared();
    UsageLimiter b = instance(clockB).usageLimits().shared();
    List<UsageLimit> tenPerMinute = List.of(new UsageLimit("client:skewed", 10, 0));

    for (int i = 0; i < 10; i++) {
      assertThat(get(a.reserve(tenPerMinute, 1))).isInstanceOf(UsageReservation.Granted.class);
    }
    assertThat(get(b.reserve(tenPerMinute, 1))).isInstanceOf(UsageReservation.Refused.class);

    clockA.advance(Duration.ofMillis(54_999));
    clockB.advance(Duration.ofMillis(54_999));
    assertThat(get(b.reserve(tenPerMinute, 1))).as("B at 59.999 s of its window").isInstanceOf(UsageReservation.Refused.class);
    clockA.advance(Duration.ofMillis(1));
    clockB.advance(Duration.ofMillis(1));
    assertThat(get(a.reserve(tenPerMinute, 1))).as("A at 55 s").isInstanceOf(UsageReservation.Refused.class);
    assertThat(get(b.reserve(tenPerMinute, 1))).as("B at 60 s by its clock, 55 s by A's")
        .isInstanceOf(UsageReservation.Granted.class);
  }

  /**
   * Around midnight, B (3 s ahead) reserves in the next day's entry while A is still in today's: each entry keeps
   * its limit, and a settlement lands once, in the entry its reservation was made in, whichever clock settles.
   */
  @Test
  void aDayBoundaryUnderSkewKeepsEachDaysLimitAndSettlesEachReservationOnceInItsOwnDay() {
    ManualClock clockLate = new ManualClock(Instant.parse("2026-11-27T23:59:58Z"));
    ManualClock clockEarly = new ManualClock(Instant.parse("2026-11-28T00:00:01Z"));
    BudgetLedger behind = instance(clockLate).budgets().shared();
    BudgetLedger ahead = instance(clockEarly).budgets().shared();
    BudgetAccount dollarADay = new BudgetAccount("client:skewed", BudgetPeriod.DAY, 1.0);

    Reservation.Granted today = (Reservation.Granted) get(behind.reserve(List.of(dollarADay), 0.6));
    Reservation.Granted tomorrow = (Reservation.Granted) get(ahead.reserve(List.of(dollarADay), 0.6));
    assertThat(get(behind.reserve(List.of(dollarADay), 0.6))).isInstanceOf(Reservation.Exhausted.class);
    assertThat(get(ahead.reserve(List.of(dollarADay), 0.6))).isInstanceOf(Reservation.Exhausted.class);

    clockLate.advance(Duration.ofSeconds(10));
    get(behind.settle(tomorrow, 0.5));
    get(ahead.settle(today, 0.4));
    get(behind.settle(tomorrow, 0.5));

    assertThat(get(behind.spentUsd(dollarADay))).as("the 28th, read by the clock that was behind").isEqualTo(0.5);
    clockLate.advance(Duration.ofSeconds(-20));
    assertThat(get(behind.spentUsd(dollarADay))).as("the 27th").isEqualTo(0.4);
  }

  /**
   * An entry's freshness is judged by the reader's clock, but Redis keeps it only for its TTL on Redis' own
   * clock: an instance an hour behind serves it no longer than that; one more than the TTL ahead never serves it.
   */
  @Test
  void anInstanceBehindServesAnEntryNoLongerThanRedisKeepsItAndOneAheadNotPastItsTtl() {
    ResponseCache writer = instance(clockA).cache();
    ResponseCache behind = instance(new ManualClock(START.minus(Duration.ofHours(1)))).cache();
    ResponseCache ahead = instance(new ManualClock(START.plusSeconds(2))).cache();
    CacheEntry entry = new CacheEntry.Response(
        new StoredReply(200, Headers.of("Content-Type", "text/plain"), Buffer.buffer("hello"), START.toEpochMilli()));

    get(writer.put("skewed", entry, 1_000, new Quota("client", 1 << 20)));
    assertThat(get(behind.get("skewed"))).isPresent();
    assertThat(get(ahead.get("skewed"))).as("2 s ahead of a 1 s TTL").isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> get(behind.get("skewed")).isEmpty());
  }
}
