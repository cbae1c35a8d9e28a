package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an instance remembers of claims whose answer it never got. */
class AbandonedClaimsTest {
  private final AbandonedClaims abandoned = new AbandonedClaims();

  @Test
  void anAbandonedClaimIsKnownUntilItCouldNoLongerExist() {
    abandoned.add("k", "t1", 1_000);
    assertThat(abandoned.tokenOf("k", 999)).isEqualTo("t1");
    assertThat(abandoned.tokenOf("other", 999)).isEmpty();
    assertThat(abandoned.tokenOf("k", 1_000)).isEmpty();
    assertThat(abandoned.size()).isZero();
  }

  @Test
  void onlyTheTokenAbandonedIsForgotten() {
    abandoned.add("k", "t1", 1_000);
    abandoned.forget("k", "t2");
    assertThat(abandoned.tokenOf("k", 0)).isEqualTo("t1");
    abandoned.forget("k", "t1");
    assertThat(abandoned.tokenOf("k", 0)).isEmpty();
  }

  @Test
  void pastItsBoundTheOldestAreForgotten() {
    for (int i = 0; i <= AbandonedClaims.MAX; i++) {
      abandoned.add("k" + i, "t" + i, Long.MAX_VALUE);
    }
    assertThat(abandoned.size()).isEqualTo(AbandonedClaims.MAX);
    assertThat(abandoned.tokenOf("k0", 0)).isEmpty();
    assertThat(abandoned.tokenOf("k" + AbandonedClaims.MAX, 0)).isEqualTo("t" + AbandonedClaims.MAX);
  }
}
