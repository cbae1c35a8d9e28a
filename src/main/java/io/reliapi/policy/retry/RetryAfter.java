package io.reliapi.policy.retry;

import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads a {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in any of the three
 * forms a recipient must accept (IMF-fixdate, RFC 850, asctime). A date in the past means "now".
 */
public final class RetryAfter {
  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .appendPattern("EEEE, dd-MMM-")
      // RFC 9110 §5.6.7 reads two-digit years as the nearest past century; 1970 as the pivot is close enough.
      .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
      .appendPattern(" HH:mm:ss 'GMT'")
      .toFormatter(Locale.US)
      .withZone(java.time.ZoneOffset.UTC);
  private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .appendPattern("EEE MMM ")
      .padNext(2)
      .appendValue(ChronoField.DAY_OF_MONTH)
      .appendPattern(" HH:mm:ss yyyy")
      .toFormatter(Locale.US)
      .withZone(java.time.ZoneOffset.UTC);
  private static final int MAX_DIGITS = 12;

  private RetryAfter() {}

  /** Returns the wait in milliseconds that {@code value} asks for, or empty when it is absent or malformed. */
  public static OptionalLong delayMs(String value, long nowEpochMillis) {
    if (value == null) {
      return OptionalLong.empty();
    }
    String text = value.trim();
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Absurdly long numbers saturate instead of overflowing; they exceed any max_s anyway.
      long seconds = text.length() > MAX_DIGITS ? Long.MAX_VALUE / 1000 : Long.parseLong(text);
      return OptionalLong.of(seconds * 1000);
    }
    Long at = parseDate(text);
    return at == null ? OptionalLong.empty() : OptionalLong.of(Math.max(0, at - nowEpochMillis));
  }

  private static Long parseDate(String text) {
    for (DateTimeFormatter format : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME}) {
      try {
        return ZonedDateTime.parse(text, format).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        // try the next form
      }
    }
    return null;
  }
}
