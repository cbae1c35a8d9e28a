package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RateLimitConfig;
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

/** What every {@link RateLimiter} must do, in memory or in Redis. */
public abstract class RateLimiterContract {
  protected static final RateLimitConfig TWO_PER_SECOND_BURST_THREE = new RateLimitConfig(2, 3);
  protected RateLimiter limiter;

  /** Returns a new limiter with no buckets. */
  protected abstract RateLimiter newLimiter();

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

  protected TokenBucket.Taken take(String key, RateLimitConfig limit) {
    return get(limiter.acquire(key, limit));
  }

  @Test
  void aNewBucketGrantsItsBurstThenSaysHowLongUntilTheNextToken() {
    for (int i = 0; i < 3; i++) {
      assertThat(take("c", TWO_PER_SECOND_BURST_THREE).granted()).isTrue();
    }
    TokenBucket.Taken refused = take("c", TWO_PER_SECOND_BURST_THREE);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfterMs()).isEqualTo(500);
  }

  @Test
  void tokensComeBackAtTheRateButNeverBeyondTheBurst() {
    for (int i = 0; i < 3; i++) {
      take("c", TWO_PER_SECOND_BURST_THREE);
    }
    elapse(Duration.ofMillis(1_000));
    assertThat(take("c", TWO_PER_SECOND_BURST_THREE).granted()).isTrue();
    assertThat(take("c", TWO_PER_SECOND_BURST_THREE).granted()).isTrue();
    assertThat(take("c", TWO_PER_SECOND_BURST_THREE).granted()).isFalse();
    elapse(Duration.ofSeconds(60));
    int granted = 0;
    for (int i = 0; i < 10; i++) {
      granted += take("c", TWO_PER_SECOND_BURST_THREE).granted() ? 1 : 0;
    }
    assertThat(granted).isEqualTo(3);
  }

  @Test
  void aRefusedAttemptTakesNothing() {
    RateLimitConfig onePerSecond = new RateLimitConfig(1, 1);
    take("c", onePerSecond);
    for (int i = 0; i < 5; i++) {
      assertThat(take("c", onePerSecond).granted()).isFalse();
    }
    elapse(Duration.ofMillis(1_000));
    assertThat(take("c", onePerSecond).granted()).isTrue();
  }

  @Test
  void aSlowRateWaitsLong() {
    RateLimitConfig oneEveryTwoSeconds = new RateLimitConfig(0.5, 1);
    take("c", oneEveryTwoSeconds);
    assertThat(take("c", oneEveryTwoSeconds).retryAfterMs()).isEqualTo(2_000);
    elapse(Duration.ofMillis(1_500));
    assertThat(take("c", oneEveryTwoSeconds).retryAfterMs()).isEqualTo(500);
  }

  @Test
  void bucketsAreIndependent() {
    RateLimitConfig one = new RateLimitConfig(1, 1);
    assertThat(take("alice", one).granted()).isTrue();
    assertThat(take("alice", one).granted()).isFalse();
    assertThat(take("bob", one).granted()).isTrue();
  }

  @Test
  void concurrentAttemptsNeverGetMoreTokensThanTheBucketHolds() throws Exception {
    RateLimitConfig burstTen = new RateLimitConfig(0.001, 10);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<TokenBucket.Taken>> attempts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        attempts.add(() -> take("race", burstTen));
      }
      long granted = 0;
      for (var f : pool.invokeAll(attempts)) {
        granted += f.get().granted() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
  }
}
