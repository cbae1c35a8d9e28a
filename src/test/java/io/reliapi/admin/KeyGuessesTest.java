package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyGuessesTest {
  private final ManualClock clock = new ManualClock();
  private final KeyGuesses guesses = new KeyGuesses(clock);

  @Test
  void fiveWrongKeysInAMinuteRefuseTheAddressForTheRestOfThatMinute() {
    for (int i = 1; i < KeyGuesses.MAX_FAILURES; i++) {
      assertThat(guesses.failed("10.0.0.1")).isFalse();
      assertThat(guesses.refusedForS("10.0.0.1")).isZero();
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(guesses.failed("10.0.0.1")).as("the fifth gets it refused").isTrue();
    assertThat(guesses.refusedForS("10.0.0.1")).isEqualTo(40);
    assertThat(guesses.refusedForS("10.0.0.2")).as("another address may still try").isZero();

    clock.advance(Duration.ofMillis(39_500));
    assertThat(guesses.refusedForS("10.0.0.1")).isEqualTo(1);
    clock.advance(Duration.ofMillis(500));
    assertThat(guesses.refusedForS("10.0.0.1")).isZero();
  }

  @Test
  void failuresSpreadOverMoreThanAMinuteNeverRefuse() {
    for (int i = 0; i < 20; i++) {
      guesses.failed("10.0.0.1");
      assertThat(guesses.refusedForS("10.0.0.1")).isZero();
      clock.advance(Duration.ofSeconds(16));
    }
  }

  @Test
  void aNewMinuteStartsWithTheFirstFailureAfterTheLastOneEnded() {
    for (int i = 0; i < KeyGuesses.MAX_FAILURES; i++) {
      guesses.failed("10.0.0.1");
    }
    clock.advance(Duration.ofSeconds(60));
    assertThat(guesses.failed("10.0.0.1")).isFalse();
    assertThat(guesses.refusedForS("10.0.0.1")).isZero();
  }

  @Test
  void remembersOnlyTheAddressesUsedMostRecently() {
    guesses.failed("kept");
    for (int i = 0; i < KeyGuesses.MAX_ADDRESSES + 100; i++) {
      guesses.refusedForS("kept");
      guesses.failed("10." + i);
    }
    assertThat(guesses.size()).isEqualTo(KeyGuesses.MAX_ADDRESSES);
    for (int i = 1; i < KeyGuesses.MAX_FAILURES; i++) {
      guesses.failed("kept");
    }
    assertThat(guesses.refusedForS("kept")).as("an address in use is not forgotten").isPositive();
  }
}
