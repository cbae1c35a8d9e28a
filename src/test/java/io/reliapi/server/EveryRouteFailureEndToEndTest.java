package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an upstream failure does on every route that reaches one ({@link EveryRoute#upstreamed}): the retry of a 5xx,
 * the breaker that opens after failures and then refuses with no upstream call, the fallback target that answers
 * instead, the deadline that ends a silent upstream, and errors that never name the upstream's address. Each route
 * has targets of its own (a breaker is per target). A POST to a plain HTTP target is retried and falls back only
 * with an idempotency key (SPEC §3.1), so the plain routes send one.
 */
class EveryRouteFailureEndToEndTest {
  static final String RETRY_5XX = "retry_matrix: {\"429\": {attempts: 1}, \"5xx\": {attempts: 2, backoff: constant, "
      + "base_s: 0.01, max_s: 0.01}, net: {attempts: 1}, timeout: {attempts: 1}}\n";
  static int closedPort;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    closedPort = FreePort.refused();
    StringBuilder targets = new StringBuilder();
    for (EveryRoute route : EveryRoute.upstreamed()) {
      String r = route.name().toLowerCase();
      targets.append(EveryRoute.targets(up.baseUrl(), "flaky_" + r, RETRY_5XX + "circuit: {enabled: false}\n", ""))
          .append(EveryRoute.targets(up.baseUrl(), "fragile_" + r,
              TestYaml.NO_RETRIES + "\ncircuit: {error_threshold: 2, cooldown_s: 600}\n", ""))
          .append(EveryRoute.targets(up.baseUrl(), "primary_" + r,
              TestYaml.ONE_ATTEMPT + "fallback_targets: [backup_" + r + "{twin}]\n", ""))
          .append(EveryRoute.targets(up.baseUrl(), "backup_" + r, TestYaml.NO_RETRIES + "\n", ""))
          .append(EveryRoute.targets(up.baseUrl(), "silent_" + r,
              TestYaml.ONE_ATTEMPT + "timeout_ms: 300\ndeadline_ms: 300\n", ""))
          .append(EveryRoute.targets("http://127.0.0.1:" + closedPort, "closed_" + r,
              TestYaml.ONE_ATTEMPT, ""));
    }
    return GatewayHarness.yaml("clients:\n  - {name: app, key_env: APP_KEY}\ntargets:\n" + targets)
        .env("APP_KEY", "k-app");
  });

  /** The client key, and for the plain HTTP routes an idempotency key unique to {@code test}. */
  private static String[] headers(EveryRoute route, String test) {
    return route.kind == EveryRoute.Kind.HTTP
        ? new String[] {"X-API-Key", "k-app", "Idempotency-Key", test + "-" + route.name()}
        : new String[] {"X-API-Key", "k-app"};
  }

  private static String name(String prefix, EveryRoute route) {
    return prefix + "_" + route.name().toLowerCase();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void a5xxIsRetriedAndTheRetryAnswers(EveryRoute route) {
    String target = name("flaky", route);
    EveryRoute.serve(e2e.up(), target, 0);
    e2e.up().script("POST " + route.upstreamPath(target), Behavior.json(503, "{}"));

    Res r = route.call(e2e.gw().http, target, headers(route, "retry"));

    assertThat(route.completed(r)).as(r.body()).isTrue();
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(e2e.up().count(route.upstreamPath(target))).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void theBreakerOpensAfterFailuresThenRefusesWith503InTheRoutesShapeAndNoUpstreamCall(EveryRoute route) {
    String target = name("fragile", route);
    e2e.up().otherwise("POST " + route.upstreamPath(target), Behavior.json(500, "{}"));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      statuses.add(route.call(e2e.gw().http, target, headers(route, "breaker-" + i)).status());
    }
    assertThat(statuses).containsOnly(500);

    Res refused = route.call(e2e.gw().http, target, headers(route, "breaker-open"));
    route.assertRefused(refused, 503, "CIRCUIT_OPEN");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 600);
    assertThat(e2e.up().count(route.upstreamPath(target))).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aFailingPrimaryFallsBackToItsFallbackTargetWhichAnswers(EveryRoute route) {
    String primary = name("primary", route);
    String backup = name("backup", route);
    e2e.up().otherwise("POST " + route.upstreamPath(primary), Behavior.json(503, "{}"));
    EveryRoute.serve(e2e.up(), backup, 0);

    Res r = route.call(e2e.gw().http, primary, headers(route, "fallback"));

    assertThat(route.completed(r)).as(r.body()).isTrue();
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo(route.target(backup));
    assertThat(e2e.up().count(route.upstreamPath(primary))).isEqualTo(1);
    assertThat(e2e.up().count(route.upstreamPath(backup))).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aSilentUpstreamEndsAtTheDeadlineWith504InTheRoutesShape(EveryRoute route) {
    String target = name("silent", route);
    e2e.up().otherwise("POST " + route.upstreamPath(target), call -> { });

    Res r = route.call(e2e.gw().http, target, headers(route, "deadline"));

    route.assertRefused(r, 504, "UPSTREAM_TIMEOUT");
    assertThat(r.body()).doesNotContain("127.0.0.1", String.valueOf(e2e.up().port()));
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aRefusedConnectionIs502NetworkErrorWithoutTheUpstreamsAddress(EveryRoute route) {
    Res r = route.call(e2e.gw().http, name("closed", route), headers(route, "refused"));

    route.assertRefused(r, 502, "NETWORK_ERROR");
    assertThat(r.body() + r.headers().map()).doesNotContain("127.0.0.1", String.valueOf(closedPort));
  }
}
