package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** PlainDecimal writes what BigDecimal's plain text of the shortest digits would, for any finite double. */
class PlainDecimalTest {

  @Test
  void writesAmountsWithoutExponentOrTrailingZeros() {
    assertThat(PlainDecimal.of(3.1E-6)).isEqualTo("0.0000031");
    assertThat(PlainDecimal.of(0.000009)).isEqualTo("0.000009");
    assertThat(PlainDecimal.of(100.0)).isEqualTo("100");
    assertThat(PlainDecimal.of(12.5)).isEqualTo("12.5");
    assertThat(PlainDecimal.of(1.0E22)).isEqualTo("10000000000000000000000");
    assertThat(PlainDecimal.of(-0.25)).isEqualTo("-0.25");
    assertThat(PlainDecimal.of(0.0)).isEqualTo("0");
    assertThat(PlainDecimal.of(-0.0)).isEqualTo("0");
  }

  @Property(tries = 5000)
  void anyFiniteDoubleReadsBackAsItselfAndMatchesBigDecimal(@ForAll double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    String plain = PlainDecimal.of(value);
    assertThat(plain).doesNotContain("E").isEqualTo(reference(value));
    assertThat(Double.parseDouble(plain)).isEqualTo(value == 0 ? 0.0 : value);
  }

  @Property(tries = 3000)
  void amountsOfMoneyMatchBigDecimal(@ForAll @DoubleRange(min = 0, max = 1000) double usd) {
    assertThat(PlainDecimal.of(usd)).isEqualTo(reference(usd));
  }

  private static String reference(double value) {
    return value == 0 ? "0" : new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }
}
