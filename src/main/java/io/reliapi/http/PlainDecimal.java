package io.reliapi.http;

/**
 * A double as plain decimal text: the shortest digits that read back as it ({@link Double#toString}), without
 * exponent or trailing zeros (3.1E-6 is {@code 0.0000031}, 100.0 is {@code 100}). Money amounts are written so, in
 * headers, JSON and logs, on every priced request: done on the digits' text, with no decimal objects in between.
 */
public final class PlainDecimal {
  private PlainDecimal() {}

  public static String of(double value) {
    String shortest = Double.toString(value);
    if (value == 0) {
      return "0";
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + shortest);
    }
    int start = value < 0 ? 1 : 0;
    int e = shortest.indexOf('E');
    int end = e < 0 ? shortest.length() : e;
    int dot = shortest.indexOf('.');
    StringBuilder digits = new StringBuilder(end - start);
    digits.append(shortest, start, dot).append(shortest, dot + 1, end);
    // Where the decimal point falls within the digits.
    int point = (dot - start) + (e < 0 ? 0 : Integer.parseInt(shortest, e + 1, shortest.length(), 10));
    int first = 0;
    while (digits.charAt(first) == '0') {
      first++;
    }
    int last = digits.length();
    while (digits.charAt(last - 1) == '0') {
      last--;
    }
    StringBuilder out = new StringBuilder(24);
    if (start == 1) {
      out.append('-');
    }
    int p = point - first;
    String significant = digits.substring(first, last);
    if (p <= 0) {
      out.append("0.").repeat('0', -p).append(significant);
    } else if (p >= significant.length()) {
      out.append(significant).repeat('0', p - significant.length());
    } else {
      out.append(significant, 0, p).append('.').append(significant, p, significant.length());
    }
    return out.toString();
  }
}
