package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The retry matrix per error class, against the real gateway and a mock upstream injecting each fault. */
class RetryMatrixEndToEndTest {
  private static final ManualClock CLOCK = new ManualClock();
  private static final ManualScheduler SCHEDULER = ManualScheduler.auto(CLOCK);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(upstream -> {
    String url = upstream.baseUrl();
    return GatewayHarness.yaml("""
        targets:
          exp:
            base_url: "%1$s"
            circuit: {enabled: false}
            retry_matrix: {"5xx": {attempts: 4, backoff: exp, base_s: 0.1, max_s: 0.3}}
          linear:
            base_url: "%1$s"
            circuit: {enabled: false}
            retry_matrix: {"429": {attempts: 3, backoff: linear, base_s: 0.5, max_s: 10}}
          constant:
            base_url: "%1$s"
            circuit: {enabled: false}
            retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.05, max_s: 1}}
          timeouts:
            base_url: "%1$s"
            timeout_ms: 300
            circuit: {enabled: false}
            retry_matrix: {timeout: {attempts: 2, backoff: constant, base_s: 0.01, max_s: 1}}
          jitter:
            base_url: "%1$s"
            circuit: {enabled: false}
            retry_matrix: {"5xx": {attempts: 5, backoff: exp-jitter, base_s: 0.1, max_s: 0.25}}
            # 80 retries in a few seconds: far more than the retry budget allows, and not what is tested here.
            retry_budget: {enabled: false}
          defaults:
            base_url: "%1$s"
            timeout_ms: 400
            circuit: {enabled: false}
          no429:
            base_url: "%1$s"
            circuit: {enabled: false}
            retry_matrix: {"429": {attempts: 1}, "5xx": {attempts: 3, backoff: constant, base_s: 0.01}}
        """.formatted(url)).clock(CLOCK, SCHEDULER);
  });

  private static double retries(String target, String errorClass) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_retries_total", "target", target, "class", errorClass);
  }

  private static List<Long> delaysAfter(int before) {
    List<Long> all = SCHEDULER.requestedDelaysMs();
    return all.subList(before, all.size());
  }

  @Test
  void retries5xxWithExponentialBackoffUpToItsAttempts() {
    e2e.up().otherwise("* /exp-always-503", Behavior.status(503));
    double counted = retries("exp", "5xx");
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.get("/t/exp/exp-always-503");
    assertThat(r.status()).isEqualTo(503);
    assertThat(e2e.up().count("/exp-always-503")).isEqualTo(4);
    assertThat(delaysAfter(before)).containsExactly(100L, 200L, 300L);
    assertThat(r.header("X-Retries")).isEqualTo("3");
    assertThat(retries("exp", "5xx") - counted).isEqualTo(3.0);
  }

  @Test
  void retries429WithLinearBackoffAndReturnsTheFirstSuccess() {
    e2e.up().script("* /linear", Behavior.status(429), Behavior.status(429), Behavior.json(200, "{\"ok\":1}"));
    double counted = retries("linear", "429");
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.get("/t/linear/linear");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":1}");
    assertThat(e2e.up().count("/linear")).isEqualTo(3);
    assertThat(delaysAfter(before)).containsExactly(500L, 1000L);
    assertThat(retries("linear", "429") - counted).isEqualTo(2.0);
  }

  @Test
  void retriesNetworkErrorsWithConstantBackoff() {
    e2e.up().script("* /constant", Behavior.reset(), Behavior.reset(), Behavior.status(204));
    double counted = retries("constant", "net");
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.get("/t/constant/constant");
    assertThat(r.status()).isEqualTo(204);
    assertThat(e2e.up().count("/constant")).isEqualTo(3);
    assertThat(delaysAfter(before)).containsExactly(50L, 50L);
    assertThat(retries("constant", "net") - counted).isEqualTo(2.0);
  }

  @Test
  void returnsTheNetworkErrorWhenEveryAttemptFails() {
    e2e.up().otherwise("* /constant-down", Behavior.reset());
    var r = e2e.gw().http.get("/t/constant/constant-down");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(e2e.up().count("/constant-down")).isEqualTo(3);
    assertThat(r.header("X-Retries")).isEqualTo("2");
  }

  @Test
  void retriesTimeoutsUpToTheirAttempts() {
    double counted = retries("timeouts", "timeout");
    e2e.up().script("* /slow-once", Behavior.silence(), Behavior.status(200));
    var recovered = e2e.gw().http.get("/t/timeouts/slow-once");
    assertThat(recovered.status()).isEqualTo(200);
    assertThat(e2e.up().count("/slow-once")).isEqualTo(2);

    e2e.up().otherwise("* /slow-always", Behavior.silence());
    var r = e2e.gw().http.get("/t/timeouts/slow-always");
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.json().get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(e2e.up().count("/slow-always")).isEqualTo(2);
    assertThat(retries("timeouts", "timeout") - counted).isEqualTo(2.0);
  }

  @Test
  void drawsFullJitterDelaysBetweenZeroAndTheCappedExponential() {
    e2e.up().otherwise("* /jitter", Behavior.status(502));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int before = SCHEDULER.requestedDelaysMs().size();
      assertThat(e2e.gw().http.get("/t/jitter/jitter").status()).isEqualTo(502);
      List<Long> delays = delaysAfter(before);
      assertThat(delays).hasSize(4);
      for (int n = 1; n <= 4; n++) {
        long cap = Math.min(250, 100L << (n - 1));
        assertThat(delays.get(n - 1)).isBetween(0L, cap);
      }
      seen.addAll(delays);
    }
    assertThat(e2e.up().count("/jitter")).isEqualTo(100);
    assertThat(seen).as("jittered delays differ").hasSizeGreaterThan(10);
  }

  @Test
  void usesTheDocumentedDefaultsWhenATargetHasNoRetryMatrix() {
    e2e.up().otherwise("* /d5xx", Behavior.status(503));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/defaults/d5xx").status()).isEqualTo(503);
    assertThat(e2e.up().count("/d5xx")).isEqualTo(3);
    List<Long> delays = delaysAfter(before);
    assertThat(delays.get(0)).isBetween(0L, 200L);
    assertThat(delays.get(1)).isBetween(0L, 400L);

    e2e.up().otherwise("* /d429", Behavior.status(429));
    before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/defaults/d429").status()).isEqualTo(429);
    assertThat(e2e.up().count("/d429")).isEqualTo(3);
    delays = delaysAfter(before);
    assertThat(delays.get(0)).isBetween(0L, 1000L);
    assertThat(delays.get(1)).isBetween(0L, 2000L);

    e2e.up().otherwise("* /dnet", Behavior.reset());
    assertThat(e2e.gw().http.get("/t/defaults/dnet").status()).isEqualTo(502);
    assertThat(e2e.up().count("/dnet")).isEqualTo(3);

    e2e.up().otherwise("* /dtimeout", Behavior.silence());
    assertThat(e2e.gw().http.get("/t/defaults/dtimeout").status()).isEqualTo(504);
    assertThat(e2e.up().count("/dtimeout")).isEqualTo(2);
  }

  @Test
  void retries529LikeAnyOther5xx() {
    e2e.up().script("* /overloaded", Behavior.status(529), Behavior.status(200));
    assertThat(e2e.gw().http.get("/t/exp/overloaded").status()).isEqualTo(200);
    assertThat(e2e.up().count("/overloaded")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 422, 501, 505})
  void neverRetries501Or505OrAny4xx(int status) {
    String path = "/final-" + status;
    e2e.up().otherwise("* " + path, Behavior.respond(status, Map.of("Content-Type", "text/plain"), "no"));
    var r = e2e.gw().http.get("/t/defaults" + path);
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body()).isEqualTo("no");
    assertThat(e2e.up().count(path)).isEqualTo(1);
    assertThat(r.header("X-Retries")).isEqualTo("0");
  }

  @Test
  void appliesEachClassRuleOnItsOwn() {
    e2e.up().otherwise("* /only5xx-429", Behavior.status(429));
    assertThat(e2e.gw().http.get("/t/no429/only5xx-429").status()).isEqualTo(429);
    assertThat(e2e.up().count("/only5xx-429")).isEqualTo(1);
    e2e.up().otherwise("* /only5xx-503", Behavior.status(503));
    assertThat(e2e.gw().http.get("/t/no429/only5xx-503").status()).isEqualTo(503);
    assertThat(e2e.up().count("/only5xx-503")).isEqualTo(3);
  }

  @Test
  void reportsRetriesInTheEnvelopeMeta() {
    e2e.up().script("* /env", Behavior.status(500), Behavior.json(200, "{\"v\":2}"));
    var r = e2e.gw().http.post("/proxy/http", "{\"target\":\"exp\",\"method\":\"GET\",\"path\":\"/env\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("meta").get("retries").asInt()).isEqualTo(1);
    assertThat(r.header("X-Retries")).isEqualTo("1");
    assertThat(r.json().get("data").get("body").get("v").asInt()).isEqualTo(2);
  }
}
