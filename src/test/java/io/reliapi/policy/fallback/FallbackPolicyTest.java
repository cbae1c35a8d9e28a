package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.fallback.FallbackPolicy.Decision;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {
  private static final ResendSafety GET = new ResendSafety(true, false, false, false);
  private static final ResendSafety POST = new ResendSafety(false, false, false, false);
  private static final ResendSafety LLM_POST = new ResendSafety(false, false, true, false);

  private static Outcome status(int status) {
    return new Outcome.Answered(new Reply(status, Headers.empty(), Body.EMPTY));
  }

  private static Outcome failed(ErrorCode code, boolean sent) {
    return new Outcome.Failed(sent ? GatewayException.afterSend(code, "x") : GatewayException.of(code, "x"));
  }

  private static Decision decide(Outcome outcome, ResendSafety safety) {
    return FallbackPolicy.decide(outcome, safety, true, 10_000, false);
  }

  @Test
  void movesOnAfterEveryRetryableClassAnOpenBreakerAndASpentBudget() {
    assertThat(decide(status(503), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(status(529), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(status(429), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.NETWORK_ERROR, true), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.UPSTREAM_TIMEOUT, true), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.CIRCUIT_OPEN, false), GET)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.BUDGET_EXHAUSTED, false), GET)).isEqualTo(Decision.NEXT);
  }

  @Test
  void movesOnWhenTheTargetsOwnRequestOrTokenLimitIsReachedButNotTheClients() {
    Outcome target = new Outcome.Failed(GatewayException.of(ErrorCode.RATE_LIMITED, "x")
        .withDetails(java.util.Map.of("limit", "target", "kind", "tpm")));
    Outcome client = new Outcome.Failed(GatewayException.of(ErrorCode.RATE_LIMITED, "x")
        .withDetails(java.util.Map.of("limit", "client", "kind", "tpm")));
    assertThat(decide(target, POST)).isEqualTo(Decision.NEXT);
    assertThat(decide(client, LLM_POST)).isEqualTo(Decision.NOT_TRIGGERED);
    assertThat(decide(failed(ErrorCode.OVERLOADED, false), GET)).isEqualTo(Decision.NOT_TRIGGERED);
  }

  @Test
  void neverMovesOnAfterSuccessOrAPlainClientError() {
    for (int s : new int[] {200, 400, 401, 403, 404, 409, 422, 501}) {
      assertThat(decide(status(s), GET)).isEqualTo(Decision.NOT_TRIGGERED);
    }
    assertThat(decide(failed(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE, true), GET)).isEqualTo(Decision.NOT_TRIGGERED);
  }

  @Test
  void movesAnUnkeyedPostOnOnlyWhenThePrimaryProvablyDidNotProcessIt() {
    assertThat(decide(status(503), POST)).isEqualTo(Decision.UNSAFE);
    assertThat(decide(failed(ErrorCode.UPSTREAM_TIMEOUT, true), POST)).isEqualTo(Decision.UNSAFE);
    assertThat(decide(failed(ErrorCode.NETWORK_ERROR, true), POST)).isEqualTo(Decision.UNSAFE);
    assertThat(decide(failed(ErrorCode.NETWORK_ERROR, false), POST)).isEqualTo(Decision.NEXT);
    assertThat(decide(status(429), POST)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.CIRCUIT_OPEN, false), POST)).isEqualTo(Decision.NEXT);
    assertThat(decide(failed(ErrorCode.BUDGET_EXHAUSTED, false), POST)).isEqualTo(Decision.NEXT);
  }

  @Test
  void movesAPostToAnLlmTargetOn() {
    assertThat(decide(status(503), LLM_POST)).isEqualTo(Decision.NEXT);
  }

  @Test
  void endsWithoutATargetTimeOrClientLeft() {
    assertThat(FallbackPolicy.decide(status(503), GET, false, 10_000, false)).isEqualTo(Decision.END);
    assertThat(FallbackPolicy.decide(status(503), GET, true, 0, false)).isEqualTo(Decision.END);
    assertThat(FallbackPolicy.decide(status(503), GET, true, 10_000, true)).isEqualTo(Decision.END);
  }

  @Test
  void neverMovesOnAfterTheClientsOwnTimeoutOrAFullConnectionPool() {
    var clientTimeout = GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x").withTargetBlameless();
    assertThat(decide(new Outcome.Failed(clientTimeout), GET)).isEqualTo(Decision.NOT_TRIGGERED);
    assertThat(decide(failed(ErrorCode.OVERLOADED, false), GET)).isEqualTo(Decision.NOT_TRIGGERED);
  }

  private static io.reliapi.config.LlmFaultRules rules(java.util.List<String> contextFallback, boolean onFilter) {
    return new io.reliapi.config.LlmFaultRules(io.reliapi.config.LlmFaultRules.StreamCommit.FIRST_TOKEN,
        java.util.Optional.empty(), java.util.Optional.empty(), 10, contextFallback, onFilter, false);
  }

  @Test
  void aRequestTooLongForTheModelGoesToTheContextFallbacksOnlyWhenThereAreAny() {
    var tooLong = io.reliapi.llm.ProviderRefusal.CONTEXT_LENGTH;
    assertThat(FallbackPolicy.refused(tooLong, rules(java.util.List.of("big"), false)))
        .isEqualTo(FallbackPolicy.Refused.CONTEXT_FALLBACK);
    assertThat(FallbackPolicy.refused(tooLong, rules(java.util.List.of(), true))).isEqualTo(FallbackPolicy.Refused.ANSWER);
  }

  @Test
  void aContentPolicyRefusalFallsBackOnlyWhereTheTargetAllowsIt() {
    var filtered = io.reliapi.llm.ProviderRefusal.CONTENT_FILTER;
    assertThat(FallbackPolicy.refused(filtered, rules(java.util.List.of("big"), false)))
        .isEqualTo(FallbackPolicy.Refused.ANSWER);
    assertThat(FallbackPolicy.refused(filtered, rules(java.util.List.of(), true))).isEqualTo(FallbackPolicy.Refused.NEXT);
  }

  @Test
  void namesWhatSentTheRequestOnByClassOrByCode() {
    assertThat(FallbackPolicy.reason(status(503))).isEqualTo("5xx");
    assertThat(FallbackPolicy.reason(status(429))).isEqualTo("429");
    assertThat(FallbackPolicy.reason(failed(ErrorCode.UPSTREAM_TIMEOUT, true))).isEqualTo("timeout");
    assertThat(FallbackPolicy.reason(new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "stall")
        .withStreamFault()))).isEqualTo("net");
    assertThat(FallbackPolicy.reason(failed(ErrorCode.CIRCUIT_OPEN, false))).isEqualTo("circuit_open");
    assertThat(FallbackPolicy.reason(failed(ErrorCode.BUDGET_EXHAUSTED, false))).isEqualTo("budget_exhausted");
  }
}
