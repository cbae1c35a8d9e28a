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

  @Test
  void theAddressesOfOneIpv6SlashSixtyFourAreOneGuesser() {
    // One IPv6 host commonly holds a whole /64: a new address per guess must not buy new guesses.
    for (int i = 1; i <= KeyGuesses.MAX_FAILURES; i++) {
      guesses.failed("2001:db8:1:2:" + Integer.toHexString(i) + "::" + i);
    }
    assertThat(guesses.refusedForS("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo(60);
    assertThat(guesses.refusedForS("2001:0db8:0001:0002:0000:0000:0000:0001")).isEqualTo(60);
    assertThat(guesses.refusedForS("2001:db8:1:3::1")).as("the next /64 is another").isZero();
    assertThat(guesses.size()).isEqualTo(1);
  }

  @Test
  void anIpv4AddressIsItselfWhateverItsNotation() {
    for (int i = 1; i <= KeyGuesses.MAX_FAILURES; i++) {
      guesses.failed(i % 2 == 0 ? "10.0.0.1" : "::ffff:10.0.0.1");
    }
    assertThat(guesses.refusedForS("10.0.0.1")).isEqualTo(60);
    assertThat(guesses.refusedForS("10.0.0.2")).isZero();
    assertThat(guesses.refusedForS("unknown")).isZero();
  }
}
