package io.reliapi.server;

import java.math.BigDecimal;

/** Formats USD amounts without exponent notation or float noise. */
final class Money {
  private Money() {}

  static String format(double usd) {
    return new BigDecimal(Double.toString(usd)).stripTrailingZeros().toPlainString();
  }
}
