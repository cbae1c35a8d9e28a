package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The caller's guarantees on every route of the guarantee matrix ({@link EveryRoute}, {@code docs/guarantees.md}):
 * the client key (never forwarded upstream), the client's target allowlist, its rate limit, the reliability headers
 * and one access line and one request sample per request. One gateway for the class; the clock is manual and moves a minute before each
 * test, so each starts with a full bucket.
 */
class EveryRouteClientGuaranteesEndToEndTest {
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: narrow, key_env: NARROW_KEY, targets: [elsewhere, elsewhere_http]}
        - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 1, burst: 2}}
      targets:
      """ + EveryRoute.targets(up.baseUrl(), "open", TestYaml.NO_RETRIES + "\n", "")
      + EveryRoute.targets(up.baseUrl(), "elsewhere", TestYaml.NO_RETRIES + "\n", ""))
      .env("APP_KEY", "k-app").env("NARROW_KEY", "k-narrow").env("LIMITED_KEY", "k-limited")
      .clock(clock, ManualScheduler.manual(clock)));

  @BeforeEach
  void refill() {
    EveryRoute.serve(e2e.up(), "open", 0);
    EveryRoute.serve(e2e.up(), "elsewhere", 0);
    clock.advance(Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @EnumSource(EveryRoute.class)
  void noKeyOrAWrongKeyIs401InTheRoutesShapeWithNoUpstreamCall(EveryRoute route) {
    for (Res r : new Res[] {route.call(e2e.gw().http, "open"), route.call(e2e.gw().http, "open", "X-API-Key", "k-wrong"),
        route.call(e2e.gw().http, "open", "Authorization", "Bearer k-wrong")}) {
      route.assertRefused(r, 401, "UNAUTHORIZED");
      assertThat(r.header("X-Request-ID")).isNotBlank();
    }
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#piped")
  void aTargetOutsideTheClientsAllowlistIs403InTheRoutesShapeWithNoUpstreamCall(EveryRoute route) {
    Res refused = route.call(e2e.gw().http, "open", "X-API-Key", "k-narrow");
    route.assertRefused(refused, 403, "FORBIDDEN");
    assertThat(e2e.up().total()).isZero();

    assertThat(route.completed(route.call(e2e.gw().http, "elsewhere", "X-API-Key", "k-narrow"))).isTrue();
  }

  @Test
  void theModelListShowsAClientOnlyTheTargetsItMayUse() {
    String narrow = e2e.gw().http.get("/v1/models", "X-API-Key", "k-narrow").body();
    assertThat(narrow).contains("\"elsewhere/gpt-4o-mini\"").doesNotContain("open/");
    assertThat(e2e.gw().http.get("/v1/models/open%2Fgpt-4o-mini", "X-API-Key", "k-narrow").status()).isEqualTo(404);
    assertThat(e2e.gw().http.get("/v1/models", "X-API-Key", "k-app").body()).contains("\"open/gpt-4o-mini\"");
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#piped")
  void aClientOverItsRateLimitIs429InTheRoutesShapeWithRetryAfterAndNoUpstreamCall(EveryRoute route) {
    assertThat(route.completed(route.call(e2e.gw().http, "open", "X-API-Key", "k-limited"))).isTrue();
    assertThat(route.completed(route.call(e2e.gw().http, "open", "X-API-Key", "k-limited"))).isTrue();
    int calls = e2e.up().total();

    Res limited = route.call(e2e.gw().http, "open", "X-API-Key", "k-limited");
    route.assertRefused(limited, 429, "RATE_LIMITED");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(e2e.up().total()).isEqualTo(calls);
  }

  @Test
  void theModelListTakesATokenFromTheClientsRateLimitAndIs429InTheCallersShapeWhenNoneIsLeft() {
    assertThat(e2e.gw().http.get("/v1/models", "X-API-Key", "k-limited").status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/v1/models/open%2Fgpt-4o-mini", "X-API-Key", "k-limited").status()).isEqualTo(200);

    Res limited = e2e.gw().http.get("/v1/models", "X-API-Key", "k-limited");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
    Res anthropic = e2e.gw().http.get("/v1/models", "X-API-Key", "k-limited", "anthropic-version", "2023-06-01");
    assertThat(anthropic.status()).isEqualTo(429);
    assertThat(anthropic.json().get("type").asText()).isEqualTo("error");
    assertThat(anthropic.json().get("error").get("type").asText()).isEqualTo("rate_limit_error");
    // The model list and the proxy routes draw on one bucket.
    assertThat(EveryRoute.CHAT_COMPLETIONS.call(e2e.gw().http, "open", "X-API-Key", "k-limited").status()).isEqualTo(429);

    clock.advance(Duration.ofSeconds(1));
    assertThat(e2e.gw().http.get("/v1/models", "X-API-Key", "k-limited").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void theModelListHasItsAccessLineAndRequestSampleToo() {
    String id = "matrix-models";
    double before = MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", "none", "kind", "llm");
    Res r;
    try (LogCapture logs = LogCapture.capture()) {
      r = e2e.gw().http.get("/v1/models", "X-API-Key", "k-app", "X-Request-ID", id);
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.accessLines().stream().anyMatch(l -> l.contains(id)));
      assertThat(logs.accessLines().stream().filter(l -> l.contains("\"request_id\":\"" + id + "\"")))
          .singleElement().asString().contains("\"route\":\"models\"", "\"status\":200", "\"client\":\"app\"");
    }
    assertThat(r.status()).isEqualTo(200);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", "none", "kind", "llm"))
        .isEqualTo(before + 1);
  }

  @ParameterizedTest
  @MethodSource("io.reliapi.server.EveryRoute#piped")
  void everyAnswerCarriesTheCallersRequestIdTheReliabilityHeadersAndOneAccessLine(EveryRoute route) {
    String id = "matrix-" + route.name().toLowerCase();
    String target = route.target("open");
    double before = MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", target);
    Res r;
    try (LogCapture logs = LogCapture.capture()) {
      r = route.call(e2e.gw().http, "open", "X-API-Key", "k-app", "X-Request-ID", id);
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.accessLines().stream().anyMatch(l -> l.contains(id)));
      assertThat(logs.accessLines().stream().filter(l -> l.contains("\"request_id\":\"" + id + "\""))).hasSize(1);
    }
    assertThat(route.completed(r)).isTrue();
    assertThat(r.header("X-Request-ID")).isEqualTo(id);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo(target);
    assertThat(r.header("X-Retries")).isEqualTo("0");
    assertThat(r.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(r.header("X-Duration-MS")).matches("[0-9]+");
    if (route.kind != EveryRoute.Kind.HTTP && !route.stream) {
      // A live stream has its cost in its last event instead (docs/api.md).
      assertThat(r.header("X-ReliAPI-Cost-USD")).as("cost header").isNotNull();
    }
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", target)).isEqualTo(before + 1);
    // The caller's own key is the gateway's business, never the upstream's.
    assertThat(e2e.up().requests()).allSatisfy(sent -> assertThat(sent.headers().toString()).doesNotContain("k-app"));
  }

  @Test
  void theModelListEchoesTheCallersRequestId() {
    assertThat(e2e.gw().http.get("/v1/models", "X-API-Key", "k-app", "X-Request-ID", "matrix-models")
        .header("X-Request-ID")).isEqualTo("matrix-models");
  }
}
