package io.reliapi.llm.resume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContinuationKeyTest {

  @Test
  void aContinuationForwardsTheClientsKeyNumbered() {
    assertThat(ContinuationKey.of("order-17", 1)).isEqualTo("order-17.continue-1");
    assertThat(ContinuationKey.of("order-17", 2)).isEqualTo("order-17.continue-2");
  }

  @Test
  void aKeyTooLongToNumberStandsInAsItsDigestStillOneKeyPerClientKey() {
    String key = "k".repeat(250);

    String forwarded = ContinuationKey.of(key, 1);

    assertThat(forwarded).hasSize(64 + ".continue-1".length()).endsWith(".continue-1");
    assertThat(ContinuationKey.of("k".repeat(249) + "j", 1)).isNotEqualTo(forwarded);
    assertThat(ContinuationKey.of(key, 1)).isEqualTo(forwarded);
  }
}
