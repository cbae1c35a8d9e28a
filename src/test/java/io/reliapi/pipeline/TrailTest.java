package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrailTest {

  @Test
  void keepsTheFirstEntriesInOrderAndOnlyCountsThosePastItsBound() {
    Trace trace = new Trace("api");
    for (int i = 1; i <= Trail.MAX + 5; i++) {
      trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "api", null, i, "http_5xx", 503, 1_000_000);
    }
    assertThat(trace.trail().entries()).hasSize(Trail.MAX);
    assertThat(trace.trail().dropped()).isEqualTo(5);
    assertThat(((TrailEntry.Attempt) trace.trail().entries().get(0)).number()).isEqualTo(1);
  }

  @Test
  void anAttemptCarriesTheWaitAndBreakerStateThatCameBeforeIt() {
    Trace trace = new Trace("api");
    trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "api", null, 1, "http_5xx", 503, 12_000_000);
    trace.addRetry(250, "5xx");
    trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "api", null, 2, "timeout", 0, 3_000_000);
    trace.fallbackTarget("backup");
    trace.breaker("backup", "open", false);

    assertThat(trace.trail().entries()).extracting(TrailEntry::text).containsExactly(
        "attempt api#1 503 12ms", "attempt api#2 wait=250ms timeout 3ms", "fallback api->backup",
        "circuit_open backup");
  }

  @Test
  void anAttemptNamesTheDeploymentItWentTo() {
    Trace trace = new Trace("api");
    trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "api", "east", 1, "http_4xx", 429, 2_000_000);
    assertThat(trace.trail().entries()).extracting(TrailEntry::text).containsExactly("attempt api/east#1 429 2ms");
  }

  @Test
  void budgetAmountsArePlainDecimals() {
    assertThat(new TrailEntry.Budget("openai", "reserved", 0.0000612).text()).isEqualTo("budget reserved 0.0000612");
    assertThat(new TrailEntry.Budget("openai", "settled", 0).text()).isEqualTo("budget settled 0");
  }

  @Test
  void aRequestWithoutDecisionsHasAnEmptyTrail() {
    assertThat(new Trace(null).trail().entries()).isEmpty();
  }
}
