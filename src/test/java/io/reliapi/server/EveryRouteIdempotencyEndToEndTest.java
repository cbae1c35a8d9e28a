package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Idempotency keys on every route that reaches an upstream ({@link EveryRoute#upstreamed}), end to end with real
 * concurrency (SPEC §3.4): concurrent duplicates make one upstream call, a finished answer is replayed, the same key
 * with another request is 422 in the route's shape while the first runs and after, the key is the client's own, and
 * a request whose outcome is unknown is never executed a second time.
 * The upstream answers after 300 ms so duplicates arrive while the first is in flight; retries are off.
 */
class EveryRouteIdempotencyEndToEndTest {
  static final int DUPLICATES = 8;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: other, key_env: OTHER_KEY}
      targets:
      """ + EveryRoute.targets(up.baseUrl(), "api", TestYaml.ONE_ATTEMPT, ""))
      .env("APP_KEY", "k-app").env("OTHER_KEY", "k-other"));

  @BeforeEach
  void serve() {
    EveryRoute.serve(e2e.up(), "api", 300);
  }

  private static String[] keyed(String client, String key) {
    return new String[] {"X-API-Key", client, "Idempotency-Key", key};
  }

  private static long replayed(List<Res> answers) {
    return answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void concurrentDuplicatesMakeOneUpstreamCallAndEveryCallerGetsTheAnswer(EveryRoute route) {
    String key = "coalesce-" + route.name();
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < DUPLICATES; i++) {
      sent.add(route.callAsync(e2e.gw().http, "api", keyed("k-app", key)));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(e2e.up().count(route.upstreamPath("api"))).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> assertThat(route.completed(r)).as(r.body()).isTrue());
    assertThat(replayed(answers)).isEqualTo(DUPLICATES - 1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aFinishedAnswerIsReplayedWithoutASecondUpstreamCall(EveryRoute route) {
    String key = "replay-" + route.name();
    Res first = route.call(e2e.gw().http, "api", keyed("k-app", key));
    Res again = route.call(e2e.gw().http, "api", keyed("k-app", key));

    assertThat(route.completed(first)).isTrue();
    assertThat(route.completed(again)).isTrue();
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count(route.upstreamPath("api"))).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void theSameKeyWithAnotherRequestIs422InTheRoutesShapeWhileTheFirstRunsAndAfter(EveryRoute route) {
    String key = "conflict-" + route.name();
    CompletableFuture<Res> first = route.callAsync(e2e.gw().http, "api", keyed("k-app", key));
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count(route.upstreamPath("api")) == 1);

    Res during = route.callVariant(e2e.gw().http, "api", keyed("k-app", key));
    route.assertRefused(during, 422, "IDEMPOTENCY_CONFLICT");

    assertThat(route.completed(first.join())).isTrue();
    Res after = route.callVariant(e2e.gw().http, "api", keyed("k-app", key));
    route.assertRefused(after, 422, "IDEMPOTENCY_CONFLICT");
    assertThat(e2e.up().count(route.upstreamPath("api"))).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void twoClientsUsingOneKeyEachGetTheirOwnExecution(EveryRoute route) {
    String key = "shared-" + route.name();
    Res mine = route.call(e2e.gw().http, "api", keyed("k-app", key));
    Res theirs = route.call(e2e.gw().http, "api", keyed("k-other", key));

    assertThat(route.completed(mine)).isTrue();
    assertThat(route.completed(theirs)).isTrue();
    assertThat(theirs.header("Idempotent-Replayed")).isNull();
    assertThat(e2e.up().count(route.upstreamPath("api"))).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#upstreamed")
  void aResetAfterSendingLeavesTheOutcomeUnknownAndTheKeyIsNeverExecutedAgain(EveryRoute route) {
    String key = "unknown-" + route.name();
    e2e.up().script("POST " + route.upstreamPath("api"), Behavior.reset());
    Res first = route.call(e2e.gw().http, "api", keyed("k-app", key));
    route.assertRefused(first, 502, "NETWORK_ERROR");

    Res again = route.call(e2e.gw().http, "api", keyed("k-app", key));
    route.assertRefused(again, 504, "IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(e2e.up().count(route.upstreamPath("api"))).isEqualTo(1);
  }
}
