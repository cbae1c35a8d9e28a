package io.reliapi.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** A budget period: a UTC calendar day or month, named so that each period has its own ledger entry. */
public enum BudgetPeriod {
  DAY("d"), MONTH("m");

  private final String letter;

  BudgetPeriod(String letter) {
    this.letter = letter;
  }

  /** Returns the name of the period that {@code epochMillis} falls in: {@code d:2026-11-27} or {@code m:2026-11}. */
  public String id(long epochMillis) {
    LocalDate day = date(epochMillis);
    return letter + ":" + (this == DAY ? day.toString() : day.toString().substring(0, 7));
  }

  /** Returns when the period that {@code epochMillis} falls in ends (the next one starts), in epoch millis. */
  public long endsAtMillis(long epochMillis) {
    LocalDate day = date(epochMillis);
    LocalDate next = this == DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
    return next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static LocalDate date(long epochMillis) {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).toLocalDate();
  }
}
