package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final long NOW = Instant.parse("1994-11-06T08:49:30Z").toEpochMilli();

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.delayMs("120", NOW)).hasValue(120_000);
    assertThat(RetryAfter.delayMs(" 0 ", NOW)).hasValue(0);
  }

  @Test
  void readsAnImfFixdateAgainstTheGivenClock() {
    assertThat(RetryAfter.delayMs("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).hasValue(7_000);
  }

  @Test
  void readsTheObsoleteRfc850AndAsctimeDates() {
    assertThat(RetryAfter.delayMs("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).hasValue(7_000);
    assertThat(RetryAfter.delayMs("Sun Nov  6 08:49:37 1994", NOW)).hasValue(7_000);
  }

  @Test
  void readsADateInThePastAsNow() {
    assertThat(RetryAfter.delayMs("Sun, 06 Nov 1994 08:00:00 GMT", NOW)).hasValue(0);
  }

  @Test
  void ignoresMalformedValues() {
    assertThat(RetryAfter.delayMs(null, NOW)).isEmpty();
    assertThat(RetryAfter.delayMs("", NOW)).isEmpty();
    assertThat(RetryAfter.delayMs("soon", NOW)).isEmpty();
    assertThat(RetryAfter.delayMs("-5", NOW)).isEmpty();
    assertThat(RetryAfter.delayMs("1.5", NOW)).isEmpty();
  }

  @Test
  void saturatesAbsurdlyLongNumbersInsteadOfOverflowing() {
    assertThat(RetryAfter.delayMs("99999999999999999999999", NOW).getAsLong()).isPositive();
  }
}
