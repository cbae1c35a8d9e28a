package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whose choice ends an attempt: the target's {@code timeout_ms}, its deadline, or the client's {@code timeout_ms}. */
class AttemptLimitTest {
  @Test
  void theTargetsTimeoutBindsWhenItIsTheShortest() {
    assertThat(AttemptLimit.of(10_000, 60_000, Optional.empty())).isEqualTo(new AttemptLimit(10_000, false));
    assertThat(AttemptLimit.of(10_000, 60_000, Optional.of(20_000L))).isEqualTo(new AttemptLimit(10_000, false));
  }

  @Test
  void whatIsLeftOfTheDeadlineIsTheTargetsOwnLimit() {
    assertThat(AttemptLimit.of(10_000, 3_000, Optional.empty())).isEqualTo(new AttemptLimit(3_000, false));
    assertThat(AttemptLimit.of(10_000, 3_000, Optional.of(5_000L))).isEqualTo(new AttemptLimit(3_000, false));
  }

  @Test
  void theClientSetsTheLimitOnlyWhenItsTimeoutIsStrictlyTheShortest() {
    assertThat(AttemptLimit.of(10_000, 60_000, Optional.of(1L))).isEqualTo(new AttemptLimit(1, true));
    assertThat(AttemptLimit.of(10_000, 3_000, Optional.of(2_999L))).isEqualTo(new AttemptLimit(2_999, true));
    assertThat(AttemptLimit.of(10_000, 60_000, Optional.of(10_000L))).isEqualTo(new AttemptLimit(10_000, false));
    assertThat(AttemptLimit.of(10_000, 3_000, Optional.of(3_000L))).isEqualTo(new AttemptLimit(3_000, false));
  }
}
