package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

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
  void neverTwiceWithinTenSeconds() {
    assertThat(HeapKeeper.due(500 * MIB, 10 * MIB, 9_999)).isFalse();
    assertThat(HeapKeeper.due(500 * MIB, 10 * MIB, 10_000)).isTrue();
  }
}
