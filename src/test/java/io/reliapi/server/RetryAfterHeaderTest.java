package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterHeaderTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00.250Z");

  private static String date(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
  }

  @Test
  void delaySecondsAreTakenAsTheyAre() {
    assertThat(RetryAfterHeader.seconds("7", NOW.toEpochMilli())).isEqualTo(7);
    assertThat(RetryAfterHeader.seconds(" 0 ", NOW.toEpochMilli())).isZero();
  }

  @Test
  void anHttpDateBecomesTheSecondsLeftRoundedUp() {
    // 10:00:03 is 2.75 s away: a client told 2 would come back early, so it is told 3.
    assertThat(RetryAfterHeader.seconds(date(Instant.parse("2026-11-27T10:00:03Z")), NOW.toEpochMilli())).isEqualTo(3);
    assertThat(RetryAfterHeader.seconds("Fri, 27 Nov 2026 10:02:00 GMT", NOW.toEpochMilli())).isEqualTo(120);
  }

  @Test
  void aDateInThePastMeansNow() {
    assertThat(RetryAfterHeader.seconds(date(Instant.parse("2026-11-27T09:00:00Z")), NOW.toEpochMilli())).isZero();
  }

  @Test
  void anythingElseIsNoRetryAfter() {
    assertThat(RetryAfterHeader.seconds(null, NOW.toEpochMilli())).isNull();
    assertThat(RetryAfterHeader.seconds("-5", NOW.toEpochMilli())).isNull();
    assertThat(RetryAfterHeader.seconds("soon", NOW.toEpochMilli())).isNull();
  }
}
