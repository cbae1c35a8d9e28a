package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the serial collector's old generation is collected on the keeper's word. */
class HeapKeeperTest {
  private static final long MIB = 1L << 20;

  @Test
  void collectsOnceTheGarbageIsHalfTheLiveDataAndAtLeastEightMib() {
    assertThat(HeapKeeper.due(18 * MIB, 10 * MIB, 60_000)).isFalse();
    assertThat(HeapKeeper.due(19 * MIB, 10 * MIB, 60_000)).isTrue();
    assertThat(HeapKeeper.due(150 * MIB, 100 * MIB, 60_000)).isFalse();
    assertThat(HeapKeeper.due(151 * MIB, 100 * MIB, 60_000)).isTrue();
  }

  @Test
  void beforeAnyFullCollectionEightMibOfOldGenerationIsEnough() {
    assertThat(HeapKeeper.due(8 * MIB, 0, 60_000)).isFalse();
    assertThat(HeapKeeper.due(9 * MIB, 0, 60_000)).isTrue();
  }

  @Test
  void neverTwiceWithinTenSecondsButForABurst() {
    assertThat(HeapKeeper.due(70 * MIB, 10 * MIB, 9_999)).isFalse();
    assertThat(HeapKeeper.due(70 * MIB, 10 * MIB, 10_000)).isTrue();
    assertThat(HeapKeeper.due(100 * MIB, 40 * MIB, 9_999)).as("60 MiB of garbage is no burst").isFalse();
  }

  @Test
  void aBurstIsMoreThanSixtyFourMibOfGarbageAndMoreThanTwiceTheLiveData() {
    assertThat(HeapKeeper.due(74 * MIB, 10 * MIB, 0)).isFalse();
    assertThat(HeapKeeper.due(75 * MIB, 10 * MIB, 0)).isTrue();
    assertThat(HeapKeeper.due(300 * MIB, 100 * MIB, 0)).isFalse();
    assertThat(HeapKeeper.due(301 * MIB, 100 * MIB, 0)).isTrue();
  }

  @Test
  void aBurstIsCollectedAtEveryCheck() {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    FakeOldGeneration old = new FakeOldGeneration(500 * MIB, 10 * MIB);
    new HeapKeeper(clock, scheduler, old).start();

    scheduler.advance(Duration.ofSeconds(2));
    assertThat(old.collections.get()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(old.collections.get()).isEqualTo(2);
  }

  @Test
  void aFreshGatewayWhoseOldGenerationIsAllLiveDataIsCollectedOnceToMeasureItThenLeftAlone() {
    // Before the first full collection the live data reads 0, so 200 MiB of a cache look like a burst of garbage;
    // the one collection that follows measures them, and the keeper does not come back every check.
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    FakeOldGeneration old = new FakeOldGeneration(200 * MIB, 0);
    old.collectionLeavesAllLive = true;
    new HeapKeeper(clock, scheduler, old).start();

    scheduler.advance(Duration.ofSeconds(2));
    assertThat(old.collections.get()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(60));
    assertThat(old.collections.get()).isEqualTo(1);
  }

  @Test
  void aGarbageFilledOldGenerationIsCollectedEveryTenSecondsAtMost() {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    FakeOldGeneration old = new FakeOldGeneration(70 * MIB, 10 * MIB);
    new HeapKeeper(clock, scheduler, old).start();

    scheduler.advance(Duration.ofSeconds(8));
    assertThat(old.collections.get()).isZero();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(old.collections.get()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(8));
    assertThat(old.collections.get()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(old.collections.get()).isEqualTo(2);
  }

  @Test
  void keepsWatchingAfterAReadingOfThePoolFails() {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    FakeOldGeneration old = new FakeOldGeneration(70 * MIB, 10 * MIB);
    old.failuresLeft = 2;
    new HeapKeeper(clock, scheduler, old).start();

    for (int second = 2; second <= 10; second += 2) {
      scheduler.advance(Duration.ofSeconds(2));
    }
    assertThat(old.failuresLeft).isZero();
    assertThat(old.collections.get()).isEqualTo(1);
  }

  private static final class FakeOldGeneration implements HeapKeeper.OldGeneration {
    final AtomicInteger collections = new AtomicInteger();
    final long used;
    long live;
    int failuresLeft;
    /** Whether a collection finds everything in use live, as for a cache the keeper has not measured yet. */
    boolean collectionLeavesAllLive;

    FakeOldGeneration(long used, long live) {
      this.used = used;
      this.live = live;
    }

    @Override
    public long usedBytes() {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IllegalStateException("pool not valid");
      }
      return used;
    }

    @Override
    public long liveBytes() {
      return live;
    }

    @Override
    public void collect() {
      collections.incrementAndGet();
      if (collectionLeavesAllLive) {
        live = used;
      }
    }
  }

  @Test
  void staysOffWhereExplicitCollectionsAreDisabled() throws Exception {
    assertThat(HeapKeeper.explicitGcDisabled()).isFalse();
    assertThat(explicitGcDisabledInAJvmStartedWith("-XX:+DisableExplicitGC")).isEqualTo("true");
    assertThat(explicitGcDisabledInAJvmStartedWith("-XX:-DisableExplicitGC")).isEqualTo("false");
  }

  private static String explicitGcDisabledInAJvmStartedWith(String flag) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, flag, "-cp", System.getProperty("java.class.path"),
        ExplicitGcProbe.class.getName()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** Run in a JVM of its own: prints what the keeper reads of the flag. */
  static final class ExplicitGcProbe {
    public static void main(String[] args) {
      System.out.print(HeapKeeper.explicitGcDisabled());
    }
  }
}
