package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The money guarantees on every route a provider bills ({@link EveryRoute#billed}), whole and streamed: the hard cost
 * caps (the hard one refuses before anything reaches the provider, the soft one lowers the output limit), the target's
 * and the client's period budgets (which refuse before anything reaches the provider too) and the TTL cache, whose
 * hits cost nothing and whose entries are each client's own. Every cap and budget here is below the estimate of any call of the matrix
 * (the cheapest, an embedding of "Hello", is 0.00000002 USD).
 */
class EveryRouteCostEndToEndTest {
  static final String TINY = "0.00000001";
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    GatewayHarness.Builder builder = GatewayHarness.yaml("""
        clients:
          - {name: app, key_env: APP_KEY}
          - {name: thrifty, key_env: THRIFTY_KEY, budget: {daily_usd: %s}}
        """.formatted(TINY) + readers() + "targets:\n"
        + EveryRoute.targets(up.baseUrl(), "open", TestYaml.ONE_ATTEMPT, "")
        + EveryRoute.targets(up.baseUrl(), "capped", TestYaml.ONE_ATTEMPT, "hard_cost_cap_usd: " + TINY)
        + EveryRoute.targets(up.baseUrl(), "budgeted", TestYaml.ONE_ATTEMPT, "budget: {daily_usd: " + TINY + "}")
        + EveryRoute.targets(up.baseUrl(), "cached", TestYaml.ONE_ATTEMPT + "cache: {ttl_s: 300}\n", "")
        + EveryRoute.targets(up.baseUrl(), "soft", TestYaml.ONE_ATTEMPT, "soft_cost_cap_usd: 0.00003"))
        .env("APP_KEY", "k-app").env("THRIFTY_KEY", "k-thrifty").clock(clock, ManualScheduler.manual(clock));
    EveryRoute.billed().forEach(r -> builder.env("READER_KEY_" + r.ordinal(), "k-reader-" + r.ordinal()));
    return builder;
  });

  /**
   * One client per route that reads the cache, so no route finds an entry another route's call stored for it (a
   * stream and a whole request for one completion share an entry, on the routes that share a request form).
   */
  private static String readers() {
    StringBuilder clients = new StringBuilder();
    for (EveryRoute route : EveryRoute.billed()) {
      clients.append("  - {name: reader_%s, key_env: READER_KEY_%s}\n".formatted(route.ordinal(), route.ordinal()));
    }
    return clients.toString();
  }

  @BeforeEach
  void serve() {
    for (String target : new String[] {"open", "capped", "budgeted", "cached", "soft"}) {
      EveryRoute.serve(e2e.up(), target, 0);
    }
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void anEstimateOverTheHardCapIs400BudgetExceededBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(e2e.gw().http, "capped", "X-API-Key", "k-app");

    route.assertRefused(refused, 400, "BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aTargetBudgetThatCannotAffordTheEstimateIs429BudgetExhaustedBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(e2e.gw().http, "budgeted", "X-API-Key", "k-app");

    route.assertRefused(refused, 429, "BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aClientBudgetThatCannotAffordTheEstimateIs429BudgetExhaustedBeforeAnyProviderCall(EveryRoute route) {
    Res refused = route.call(e2e.gw().http, "open", "X-API-Key", "k-thrifty");

    route.assertRefused(refused, 429, "BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void aRepeatIsServedFromTheCacheWithNoProviderCallAndCostsNothing(EveryRoute route) {
    // no-cache: the first skips the read (another route may have stored this completion) and stores its answer.
    Res first = route.call(e2e.gw().http, "cached", "X-API-Key", "k-app", "Cache-Control", "no-cache");
    Res again = route.call(e2e.gw().http, "cached", "X-API-Key", "k-app");

    assertThat(route.completed(first)).isTrue();
    assertThat(route.completed(again)).isTrue();
    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(again.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(e2e.up().count(route.upstreamPath("cached"))).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#billed")
  void anotherClientsRepeatIsNeverServedFromTheFirstClientsEntry(EveryRoute route) {
    route.call(e2e.gw().http, "cached", "X-API-Key", "k-app", "Cache-Control", "no-cache");
    Res theirs = route.call(e2e.gw().http, "cached", "X-API-Key", "k-reader-" + route.ordinal());

    assertThat(route.completed(theirs)).isTrue();
    assertThat(theirs.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count(route.upstreamPath("cached"))).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#chats")
  void anEstimateOverTheSoftCapLowersTheOutputLimitSentToTheProvider(EveryRoute route) {
    Res r = route.call(e2e.gw().http, "soft", "X-API-Key", "k-app");

    assertThat(route.completed(r)).isTrue();
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    int limit = sent.has("max_completion_tokens") ? sent.get("max_completion_tokens").asInt()
        : sent.get("max_tokens").asInt();
    // (0.00003 - the prompt's price) / 0.0000006 per output token, about 48; never below min_output_tokens.
    assertThat(limit).isBetween(16, 50);
  }
}
