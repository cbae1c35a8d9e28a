package io.reliapi.http;

/**
 * A double as plain decimal text: the shortest digits that read back as it ({@link Double#toString}), without
 * exponent or trailing zeros (3.1E-6 is {@code 0.0000031}, 100.0 is {@code 100}). Money amounts are written so, in
 * headers, JSON and logs, on every priced request: done on the digits' text, with no decimal objects in between.
 */
public final class PlainDecimal {
  private PlainDecimal() {}

  public static String of(double value) {
    if (value == 0) {
      return "0";
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    String shortest = Double.toString(value); // [-]digits.digits[E[-]exponent]
    Digits digits = new Digits(shortest);
    int first = 0;
    while (digits.at(first) == '0') {
      first++;
    }
    int end = digits.length();
    while (digits.at(end - 1) == '0') {
      end--;
    }
    int point = digits.point - first; // the decimal point's place after the first significant digit
    int significant = end - first;
    StringBuilder out = new StringBuilder(3 + Math.max(significant, point) + Math.max(0, -point)); // sign, "0."
    if (value < 0) {
      out.append('-');
    }
    if (point <= 0) {
      out.append("0.").repeat('0', -point);
    }
    for (int i = first; i < end; i++) {
      if (i - first == point && point > 0) {
        out.append('.');
      }
      out.append(digits.at(i));
    }
    return out.repeat('0', Math.max(0, point - significant)).toString();
  }

  /** The digits of Double.toString's text, read in place without its sign and point, and where the point falls. */
  private static final class Digits {
    private final String text;
    private final int start;
    private final int dot;
    private final int end;
    final int point;

    Digits(String text) {
      this.text = text;
      this.start = text.charAt(0) == '-' ? 1 : 0;
      this.dot = text.indexOf('.');
      int e = text.indexOf('E');
      this.end = e < 0 ? text.length() : e;
      this.point = (dot - start) + (e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10));
    }

    int length() {
      return end - start - 1;
    }

    char at(int i) {
      int before = dot - start;
      return i < before ? text.charAt(start + i) : text.charAt(dot + 1 + i - before);
    }
  }
}
