package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLimiter} must do, in memory or in Redis. The manual clock starts on a whole second
 * (2026-11-27T12:00:00Z), so a call counted now leaves the window exactly 60 s later.
 */
public abstract class UsageLimiterContract {
  protected UsageLimiter limiter;

  /** Returns a new limiter with nothing counted. */
  protected abstract UsageLimiter newLimiter();

  /** Lets {@code duration} pass for the limiter. */
  protected abstract void elapse(Duration duration);

  @BeforeEach
  void createLimiter() {
    limiter = newLimiter();
  }

  @AfterEach
  void closeLimiter() throws Exception {
    if (limiter instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  protected static <T> T get(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("limiter operation did not complete", e);
    }
  }

  protected UsageReservation reserve(long tokens, UsageLimit... limits) {
    return get(limiter.reserve(List.of(limits), tokens));
  }

  protected static UsageLimit rpm(String name, long rpm) {
    return new UsageLimit(name, rpm, 0);
  }

  protected static UsageLimit tpm(String name, long tpm) {
    return new UsageLimit(name, 0, tpm);
  }

  @Test
  void callsOverTheMinutesLimitAreRefusedUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(reserve(10, rpm("client:a", 3))).isInstanceOf(UsageReservation.Granted.class);
    }
    elapse(Duration.ofSeconds(10));
    assertThat(reserve(10, rpm("client:a", 3))).isEqualTo(new UsageReservation.Refused("client:a", "rpm", 50_000, false));
    elapse(Duration.ofMillis(49_999));
    assertThat(reserve(10, rpm("client:a", 3))).isInstanceOf(UsageReservation.Refused.class);
    elapse(Duration.ofMillis(1));
    assertThat(reserve(10, rpm("client:a", 3))).isInstanceOf(UsageReservation.Granted.class);
  }

  @Test
  void reservedTokensAreSettledToTheActualCountLeavingRoomForMore() {
    var first = (UsageReservation.Granted) reserve(600, tpm("target:t", 1000));
    assertThat(reserve(600, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Refused.class);
    get(limiter.settle(first, 100));
    assertThat(reserve(600, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Granted.class);
    assertThat(reserve(301, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Refused.class);
    assertThat(reserve(300, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Granted.class);
  }

  @Test
  void aSettlementAboveTheEstimateCountsInFull() {
    var first = (UsageReservation.Granted) reserve(100, tpm("target:t", 1000));
    get(limiter.settle(first, 950));
    assertThat(reserve(100, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Refused.class);
  }

  @Test
  void aReleasedCallCountsForNothing() {
    var first = (UsageReservation.Granted) reserve(500, new UsageLimit("client:a", 1, 500));
    assertThat(reserve(1, new UsageLimit("client:a", 1, 500))).isInstanceOf(UsageReservation.Refused.class);
    get(limiter.release(first));
    assertThat(reserve(500, new UsageLimit("client:a", 1, 500))).isInstanceOf(UsageReservation.Granted.class);
  }

  @Test
  void aReservationCountsOnEveryLimitOrOnNone() {
    assertThat(reserve(600, tpm("target:t", 500), tpm("client:a", 1000)))
        .isEqualTo(new UsageReservation.Refused("target:t", "tpm", 60_000, true));
    assertThat(reserve(1000, tpm("client:a", 1000))).isInstanceOf(UsageReservation.Granted.class);
    var both = reserve(400, tpm("target:t", 500), rpm("client:b", 5));
    assertThat(both).isEqualTo(new UsageReservation.Granted(List.of("target:t", "client:b"), 1_795_780_800L, 400));
  }

  @Test
  void theWindowSlidesSecondBySecond() {
    reserve(400, tpm("target:t", 1000));
    elapse(Duration.ofSeconds(30));
    reserve(400, tpm("target:t", 1000));
    elapse(Duration.ofMillis(10_500));
    assertThat(reserve(400, tpm("target:t", 1000)))
        .isEqualTo(new UsageReservation.Refused("target:t", "tpm", 19_500, false));
    elapse(Duration.ofMillis(19_500));
    assertThat(reserve(400, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Granted.class);
    assertThat(reserve(400, tpm("target:t", 1000)))
        .isEqualTo(new UsageReservation.Refused("target:t", "tpm", 30_000, false));
  }

  @Test
  void aSettlementAfterItsSecondLeftTheWindowChangesNothing() {
    var old = (UsageReservation.Granted) reserve(1000, tpm("target:t", 1000));
    elapse(Duration.ofSeconds(61));
    get(limiter.settle(old, 5000));
    assertThat(reserve(1000, tpm("target:t", 1000))).isInstanceOf(UsageReservation.Granted.class);
  }

  @Test
  void limitsAreIndependent() {
    reserve(1, rpm("client:a", 1));
    assertThat(reserve(1, rpm("client:a", 1))).isInstanceOf(UsageReservation.Refused.class);
    assertThat(reserve(1, rpm("client:b", 1))).isInstanceOf(UsageReservation.Granted.class);
  }

  @Test
  void concurrentReservationsNeverPassTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<UsageReservation>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        calls.add(() -> reserve(100, new UsageLimit("target:race", 1000, 2_000)));
      }
      long granted = 0;
      for (var f : pool.invokeAll(calls)) {
        granted += f.get() instanceof UsageReservation.Granted ? 1 : 0;
      }
      assertThat(granted).isEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
  }
}
