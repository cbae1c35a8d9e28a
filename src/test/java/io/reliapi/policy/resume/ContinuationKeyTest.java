package io.reliapi.policy.resume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContinuationKeyTest {

  @Test
  void aContinuationForwardsTheClientsKeyNumberedAndMarkedWithItsPrefix() {
    String first = ContinuationKey.of("order-17", 1, "Bonjour");
    assertThat(first).matches("order-17\\.continue-1-[0-9a-f]{12}");
    assertThat(ContinuationKey.of("order-17", 2, "Bonjour")).startsWith("order-17.continue-2-");
    assertThat(ContinuationKey.of("order-17", 1, "Bonjour")).isEqualTo(first);
    assertThat(ContinuationKey.of("order-17", 1, "Bon")).as("a stream of the same key broken elsewhere")
        .isNotEqualTo(first);
  }

  @Test
  void aKeyTooLongToNumberStandsInAsItsDigestStillOneKeyPerClientKey() {
    String key = "k".repeat(250);

    String forwarded = ContinuationKey.of(key, 1, "x");

    assertThat(forwarded).hasSize(64 + ".continue-1-".length() + 12).contains(".continue-1-");
    assertThat(ContinuationKey.of("k".repeat(249) + "j", 1, "x")).isNotEqualTo(forwarded);
    assertThat(ContinuationKey.of(key, 1, "x")).isEqualTo(forwarded);
  }
}
