package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The money guarantees on every route a provider bills ({@link EveryRoute#billed}), whole and streamed: the hard cost
 * cap, the target's and the client's period budgets (each refuses before anything reaches the provider) and the
 * TTL cache, whose hits cost nothing. Every cap and budget here is below the estimate of any call of the matrix
 * (the cheapest, an embedding of "Hello", is 0.00000002 USD).
 */
class EveryRouteCostEndToEndTest {
  static final String NO_RETRIES = "retry_matrix: {\"429\": {attempts: 1}, \"5xx\": {attempts: 1}, "
      + "net: {attempts: 1}, timeout: {attempts: 1}}\ncircuit: {enabled: false}\n";
  static final String TINY = "0.00000001";
  static final ManualClock clock = new ManualClock();
  static MockUpstream up;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        clients:
          - {name: app, key_env: APP_KEY}
          - {name: thrifty, key_env: THRIFTY_KEY, budget: {daily_usd: %s}}
        targets:
        """.formatted(TINY)
        + EveryRoute.targets(up.baseUrl(), "open", NO_RETRIES, "")
        + EveryRoute.targets(up.baseUrl(), "capped", NO_RETRIES, "hard_cost_cap_usd: " + TINY)
        + EveryRoute.targets(up.baseUrl(), "budgeted", NO_RETRIES, "budget: {daily_usd: " + TINY + "}")
        + EveryRoute.targets(up.baseUrl(), "cached", NO_RETRIES + "cache: {ttl_s: 300}\n", ""))
        .env("APP_KEY", "k-app").env("THRIFTY_KEY", "k-thrifty").clock(clock, ManualScheduler.manual(clock)).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    up.close();
  }

  @BeforeEach
  void serve() {
    up.reset();
    for (String target : new String[] {"open", "capped", "budgeted", "cached"}) {
      EveryRoute.serve(up, target, 0);
    }
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void anEstimateOverTheHardCapIs400BudgetExceededBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(gw.http, "capped", "X-API-Key", "k-app");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(route.code(refused)).isEqualTo("BUDGET_EXCEEDED");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aTargetBudgetThatCannotAffordTheEstimateIs429BudgetExhaustedBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(gw.http, "budgeted", "X-API-Key", "k-app");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(route.code(refused)).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aClientBudgetThatCannotAffordTheEstimateIs429BudgetExhaustedBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(gw.http, "open", "X-API-Key", "k-thrifty");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(route.code(refused)).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(up.total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aRepeatIsServedFromTheCacheWithNoProviderCallAndCostsNothing(EveryRoute route) {
    // no-cache: the first skips the read (another route may have stored this completion) and stores its answer.
    Res first = route.call(gw.http, "cached", "X-API-Key", "k-app", "Cache-Control", "no-cache");
    Res again = route.call(gw.http, "cached", "X-API-Key", "k-app");

    assertThat(route.completed(first)).isTrue();
    assertThat(route.completed(again)).isTrue();
    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(again.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(up.count(route.upstreamPath("cached"))).isEqualTo(1);
  }
}
