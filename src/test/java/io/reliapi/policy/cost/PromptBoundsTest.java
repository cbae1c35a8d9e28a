package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The prompt tokens an estimate counts on when the request carries content by reference or reasoning items. */
class PromptBoundsTest {
  static final Optional<Integer> WINDOW = Optional.empty();

  @Test
  void aRequestWithoutReferencesCountsWhatWasCounted() {
    assertThat(PromptBounds.withReferences(40, 0, 128_000, WINDOW)).isEqualTo(40);
    assertThat(PromptBounds.withReferences(40, 0, 128_000, Optional.of(500))).isEqualTo(40);
  }

  @Test
  void aRequestWithReferencesCountsTheContextWindowOnceHoweverManyItCarries() {
    assertThat(PromptBounds.withReferences(40, 1, 128_000, WINDOW)).isEqualTo(128_000);
    assertThat(PromptBounds.withReferences(40, 3, 128_000, WINDOW)).isEqualTo(128_000);
  }

  @Test
  void reasoningItemsCountTheirBoundOnTopOfTheCountNeverPastTheWindow() {
    assertThat(PromptBounds.withReasoning(40, 0, 128_000)).isEqualTo(40);
    assertThat(PromptBounds.withReasoning(40, 20_000, 128_000)).isEqualTo(20_040);
    assertThat(PromptBounds.withReasoning(40, 500_000, 128_000)).isEqualTo(128_000);
    assertThat(PromptBounds.withReasoning(200_000, 500_000, 128_000)).as("the count itself is kept").isEqualTo(200_000);
  }

  @Test
  void aPromptCountedAboveTheWindowKeepsItsCount() {
    assertThat(PromptBounds.withReferences(200_000, 1, 128_000, WINDOW)).isEqualTo(200_000);
  }

  @Test
  void referenceTokensCountThatManyPerReferenceOnTopOfTheCount() {
    assertThat(PromptBounds.withReferences(40, 1, 128_000, Optional.of(500))).isEqualTo(540);
    assertThat(PromptBounds.withReferences(40, 3, 128_000, Optional.of(500))).isEqualTo(1540);
  }

  @Test
  void referenceTokensNeverCountMoreThanTheWindow() {
    assertThat(PromptBounds.withReferences(40, 3, 128_000, Optional.of(100_000))).isEqualTo(128_000);
  }

  @Property(tries = 1000)
  void neverCountsLessThanTheCounterNorMoreThanTheWindowBound(@ForAll @LongRange(max = 3_000_000) long counted,
      @ForAll @IntRange(max = 50) int references, @ForAll @LongRange(max = 2_100_000) long window,
      @ForAll @IntRange(min = 1, max = 10_000_000) int perReference, @ForAll boolean configured) {
    long tokens = PromptBounds.withReferences(counted, references, window, configured ? Optional.of(perReference) : WINDOW);

    assertThat(tokens).isGreaterThanOrEqualTo(counted);
    assertThat(tokens).isLessThanOrEqualTo(references == 0 ? counted : Math.max(counted, window));
    if (references > 0 && !configured) {
      assertThat(tokens).isEqualTo(Math.max(counted, window));
    }
  }
}
