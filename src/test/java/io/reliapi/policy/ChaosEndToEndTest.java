package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of requests at modest concurrency against an upstream that fails a known share of attempts
 * (5xx, 429, resets, silence, slowness, 404). Every request must end within its deadline in the answer the
 * rules predict from what the upstream did, and the upstream must see exactly the attempts the rules allow.
 */
class ChaosEndToEndTest {
  private static final int REQUESTS = 2000;
  private static final int CONCURRENCY = 16;
  private static final long DEADLINE_MS = 6000;
  private static final Map<String, Integer> ATTEMPTS = Map.of("5xx", 4, "net", 3, "timeout", 2, "429", 3);

  /** What the upstream did on one attempt, and the retry class the gateway sees in it (null = final). */
  enum Fault {
    OK(null), SLOW_OK(null), NOT_FOUND(null), UNAVAILABLE("5xx"), RESET("net"), SILENT("timeout"),
    LIMITED("429");

    final String errorClass;

    Fault(String errorClass) {
      this.errorClass = errorClass;
    }
  }

  private final Map<String, List<Fault>> seen = new ConcurrentHashMap<>();
  private final SplittableRandom random = new SplittableRandom(20261127);

  private synchronized Fault draw() {
    int p = random.nextInt(1000);
    return p < 620 ? Fault.OK : p < 700 ? Fault.SLOW_OK : p < 730 ? Fault.NOT_FOUND : p < 850 ? Fault.UNAVAILABLE
        : p < 940 ? Fault.RESET : p < 950 ? Fault.SILENT : Fault.LIMITED;
  }

  private Behavior chaos() {
    return call -> {
      Fault fault = draw();
      seen.computeIfAbsent(call.recorded().path(), k -> Collections.synchronizedList(new ArrayList<>())).add(fault);
      switch (fault) {
        case OK -> Behavior.echo().respond(call);
        case SLOW_OK -> Behavior.delayed(5 + ThreadLocalRandom.current().nextInt(25), Behavior.echo()).respond(call);
        case NOT_FOUND -> Behavior.status(404).respond(call);
        case UNAVAILABLE -> Behavior.status(503).respond(call);
        case RESET -> Behavior.reset().respond(call);
        case SILENT -> Behavior.silence().respond(call);
        case LIMITED -> Behavior.status(429).respond(call);
      }
    };
  }

  /** One request as sent and as answered. */
  record Sent(int index, String path, boolean post, boolean envelope, TestHttp.Res res, long tookMs) {}

  @Test
  void everyRequestEndsInTheAnswerTheRulesPredictWithinItsDeadline() throws Exception {
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               chaos:
                 base_url: "%s"
                 timeout_ms: 1000
                 deadline_ms: %d
                 retry_matrix:
                   "5xx": {attempts: 4, backoff: exp-jitter, base_s: 0.005, max_s: 0.02}
                   net: {attempts: 3, backoff: exp-jitter, base_s: 0.005, max_s: 0.02}
                   timeout: {attempts: 2, backoff: constant, base_s: 0.005}
                   "429": {attempts: 3, backoff: constant, base_s: 0.005}
                 circuit: {error_threshold: 6, cooldown_s: 1}
                 # The rules checked here are the matrix's: every retry it allows must happen.
                 retry_budget: {enabled: false}
             """.formatted(upstream.baseUrl(), DEADLINE_MS)).start()) {
      warmUp(gateway);
      upstream.otherwise("* *", chaos());
      List<Sent> sent = run(gateway);

      int upstreamCalls = 0;
      int retries = 0;
      int circuitOpen = 0;
      for (Sent s : sent) {
        List<Fault> faults = seen.getOrDefault(s.path(), List.of());
        upstreamCalls += faults.size();
        retries += check(s, faults);
        circuitOpen += isCircuitOpen(s) ? 1 : 0;
      }
      assertThat(upstream.total() - upstream.count("/warm")).isEqualTo(upstreamCalls);
      // The faults made the gateway retry, or opened its breaker (which then answers without retrying).
      assertThat(retries + circuitOpen).as("retries and circuit-open answers").isGreaterThan(REQUESTS / 10);
      MetricSamples metrics = MetricSamples.scrape(gateway);
      assertThat(metrics.value("reliapi_retries_total", "target", "chaos")).isEqualTo((double) retries);
      if (circuitOpen > 0) {
        assertThat(metrics.value("reliapi_circuit_transitions_total", "target", "chaos", "to", "open")).isPositive();
      }
      assertThat(gateway.gateway().inFlight()).isZero();
    }
  }

  /**
   * Sends plain requests first so that a cold JVM's pauses (class loading, JIT) do not pass for upstream
   * timeouts in the run that is checked.
   */
  private static void warmUp(GatewayHarness gateway) throws Exception {
    List<CompletableFuture<TestHttp.Res>> warm = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      warm.add(i % 2 == 0 ? gateway.http.getAsync("/t/chaos/warm")
          : gateway.http.postAsync("/proxy/http", "{\"target\":\"chaos\",\"method\":\"GET\",\"path\":\"/warm\"}"));
      if (warm.size() % CONCURRENCY == 0) {
        warm.get(warm.size() - 1).get(30, TimeUnit.SECONDS);
      }
    }
    CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(warm.stream().map(CompletableFuture::join).map(TestHttp.Res::status)).containsOnly(200);
  }

  private List<Sent> run(GatewayHarness gateway) throws Exception {
    Semaphore slots = new Semaphore(CONCURRENCY);
    List<CompletableFuture<Sent>> calls = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      slots.acquire();
      int index = i;
      String path = "/c/" + i;
      boolean post = i % 5 == 0;
      boolean envelope = i % 2 == 1;
      long start = System.nanoTime();
      CompletableFuture<TestHttp.Res> call = envelope
          ? gateway.http.postAsync("/proxy/http", "{\"target\":\"chaos\",\"method\":\"" + (post ? "POST" : "GET")
              + "\",\"path\":\"" + path + "\"" + (post ? ",\"body\":{\"i\":" + i + "}" : "") + "}")
          : post ? gateway.http.postAsync("/t/chaos" + path, "{\"i\":" + i + "}")
          : gateway.http.getAsync("/t/chaos" + path);
      calls.add(call.whenComplete((r, e) -> slots.release())
          .thenApply(r -> new Sent(index, path, post, envelope, r,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return calls.stream().map(CompletableFuture::join).toList();
  }

  /** Checks one request against the faults its attempts met; returns the retries it reported. */
  private static int check(Sent s, List<Fault> faults) {
    String what = "request " + s.index() + (s.post() ? " POST" : " GET") + (s.envelope() ? " envelope" : " /t/")
        + " faults " + faults + " answer " + s.res().status() + " " + s.res().body();
    assertThat(s.tookMs()).as(what).isLessThan(DEADLINE_MS + 2000);
    int k = faults.size();
    for (int j = 0; j < k - 1; j++) {
      assertThat(retryAllowed(s, faults.get(j), j + 1)).as(what + ": attempt " + (j + 1) + " was retried").isTrue();
    }
    int reported = Integer.parseInt(s.res().header("X-Retries"));
    if (s.envelope()) {
      assertThat(s.res().json().get("meta").get("retries").asInt()).as(what).isEqualTo(reported);
    }
    if (isCircuitOpen(s)) {
      // The breaker refused attempt k + 1: the last fault was one the rules would have retried.
      assertThat(k == 0 || retryAllowed(s, faults.get(k - 1), k)).as(what).isTrue();
      assertThat(reported).as(what).isEqualTo(k);
      return reported;
    }
    assertThat(k).as(what).isPositive();
    Fault last = faults.get(k - 1);
    assertThat(retryAllowed(s, last, k)).as(what + ": the last attempt should have been retried").isFalse();
    assertThat(reported).as(what).isEqualTo(k - 1);
    assertAnswerMatches(s, last, what);
    return reported;
  }

  private static boolean retryAllowed(Sent s, Fault fault, int attemptsMade) {
    if (fault.errorClass == null || attemptsMade >= ATTEMPTS.get(fault.errorClass)) {
      return false;
    }
    // An unkeyed POST is resent only when the upstream provably did not act on it (here: a 429).
    return !s.post() || fault == Fault.LIMITED;
  }

  private static boolean isCircuitOpen(Sent s) {
    return s.res().status() == 503 && s.res().body().contains("CIRCUIT_OPEN");
  }

  private static void assertAnswerMatches(Sent s, Fault last, String what) {
    int status = s.res().status();
    switch (last) {
      case OK, SLOW_OK -> {
        assertThat(status).as(what).isEqualTo(200);
        JsonNode echo = s.envelope() ? s.res().json().get("data").get("body") : s.res().json();
        assertThat(echo.get("uri").asText()).as(what).isEqualTo(s.path());
        assertThat(echo.get("method").asText()).as(what).isEqualTo(s.post() ? "POST" : "GET");
      }
      case NOT_FOUND -> assertThat(status).as(what).isEqualTo(404);
      case UNAVAILABLE -> assertThat(status).as(what).isEqualTo(503);
      case LIMITED -> assertThat(status).as(what).isEqualTo(429);
      case RESET -> {
        assertThat(status).as(what).isEqualTo(502);
        assertThat(errorCode(s)).as(what).isEqualTo("NETWORK_ERROR");
      }
      case SILENT -> {
        assertThat(status).as(what).isEqualTo(504);
        assertThat(errorCode(s)).as(what).isEqualTo("UPSTREAM_TIMEOUT");
      }
    }
  }

  private static String errorCode(Sent s) {
    JsonNode json = s.res().json();
    return s.envelope() ? json.get("error").get("code").asText() : json.get("code").asText();
  }
}
