package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The price of one token, made once for the prices in use and made again whenever another price took its place. */
class PerTokenTest {

  @Test
  void everyPriceGivesItsOwnExactPerTokenPriceHoweverManyShareTheKeptPlaces() {
    // 2 000 prices through 64 places: most collide, and each must still come back as its own.
    for (int round = 0; round < 2; round++) {
      for (int cents = 0; cents < 2_000; cents++) {
        double per1m = cents / 100.0;
        assertThat(Costs.perToken(per1m)).isEqualByComparingTo(BigDecimal.valueOf(per1m).movePointLeft(6));
      }
    }
    assertThat(Costs.perToken(0.15)).isEqualByComparingTo("0.00000015");
    assertThat(Costs.perToken(0.15)).isSameAs(Costs.perToken(0.15));
  }
}
