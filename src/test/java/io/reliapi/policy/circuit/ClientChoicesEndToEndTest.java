package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one client chooses (a shorter {@code timeout_ms}, hanging up) is not the target's failure: it never
 * moves the breaker, never sends the request to a fallback, and is counted apart. Breaker time runs on a
 * manual clock; the short timeouts are real I/O timeouts.
 */
class ClientChoicesEndToEndTest {
  private static final String CARELESS = "careless-key";
  private static final String OTHER = "other-key";
  private final ManualClock clock = new ManualClock();
  private MockUpstream upstream;
  private MockUpstream backup;
  private GatewayHarness gateway;

  @BeforeEach
  void startUpstreams() {
    upstream = MockUpstream.start();
    backup = MockUpstream.start();
    upstream.otherwise("* /slow", Behavior.delayed(300, Behavior.json(200, "{\"ok\":true}")));
    upstream.otherwise("* /ok", Behavior.json(200, "{\"ok\":true}"));
    upstream.otherwise("* /fail", Behavior.status(503));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    backup.close();
  }

  /** Starts a gateway whose target {@code api} has {@code targetExtra} written into its entry. */
  private void start(String targetExtra) {
    gateway = GatewayHarness.yaml("""
        clients:
          - {name: careless, key_env: CARELESS_KEY}
          - {name: other, key_env: OTHER_KEY}
        targets:
          api: {base_url: "%s", %s}
          backup: {base_url: "%s"}
        """.formatted(upstream.baseUrl(), targetExtra, backup.baseUrl()))
        .env("CARELESS_KEY", CARELESS).env("OTHER_KEY", OTHER)
        .clock(clock, ManualScheduler.auto(clock)).start();
  }

  private TestHttp.Res envelope(String key, String path, String extra) {
    return gateway.http.post("/proxy/http",
        "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"" + path + "\"" + extra + "}", "X-API-Key", key);
  }

  private double metric(String name, String... labels) {
    return MetricSamples.scrape(gateway).value(name, labels);
  }

  private void openWithTwo503s() {
    for (int i = 0; i < 2; i++) {
      assertThat(envelope(OTHER, "/fail", "").status()).isEqualTo(503);
    }
    assertThat(envelope(OTHER, "/ok", "").json().get("error").get("code").asText()).isEqualTo("CIRCUIT_OPEN");
  }

  /** Sends a request on a raw socket and hangs up once the upstream has it. */
  private void hangUpDuring(String path) throws Exception {
    int before = upstream.count(path);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /t/api" + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + CARELESS + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.count(path) > before);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().inFlight() == 0);
  }

  @Test
  void twoRequestsWithATimeoutOfOneMillisecondLeaveTheBreakerClosedForEveryoneElse() {
    start("circuit: {error_threshold: 4, cooldown_s: 60}");
    for (int i = 0; i < 2; i++) {
      var careless = envelope(CARELESS, "/slow", ", \"timeout_ms\": 1");
      assertThat(careless.status()).isEqualTo(504);
      assertThat(careless.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    }
    var other = envelope(OTHER, "/slow", "");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.json().get("data").get("body").get("ok").asBoolean()).isTrue();
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api")).isZero();
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "client_timeout")).isEqualTo(2.0);
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "timeout")).isZero();
  }

  @Test
  void aClientChosenTimeoutIsNotRetried() {
    start("retry_matrix: {timeout: {attempts: 3, backoff: constant, base_s: 0.01}}");
    var careless = envelope(CARELESS, "/slow", ", \"timeout_ms\": 100");
    assertThat(careless.status()).isEqualTo(504);
    assertThat(careless.json().get("meta").get("retries").asInt()).isZero();
    assertThat(upstream.count("/slow")).isEqualTo(1);
    assertThat(metric("reliapi_retries_total", "target", "api")).isZero();
  }

  @Test
  void aClientChosenTimeoutNeverSendsTheRequestToAFallback() {
    start("fallback_targets: [backup]");
    var careless = envelope(CARELESS, "/slow", ", \"timeout_ms\": 1");
    assertThat(careless.status()).isEqualTo(504);
    assertThat(careless.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(careless.json().get("meta").get("fallback_used").asBoolean()).isFalse();
    assertThat(careless.json().get("meta").get("target").asText()).isEqualTo("api");
    assertThat(backup.total()).isZero();
    assertThat(metric("reliapi_fallbacks_total")).isZero();
  }

  @Test
  void aClientTimeoutThatDoesNotShortenTheTargetsOwnStillCountsAsTheTargetsTimeout() {
    start("timeout_ms: 50, retry_matrix: {timeout: {attempts: 1}}, circuit: {error_threshold: 2, cooldown_s: 60}");
    for (int i = 0; i < 2; i++) {
      assertThat(envelope(CARELESS, "/slow", ", \"timeout_ms\": 5000").status()).isEqualTo(504);
    }
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "timeout")).isEqualTo(2.0);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isEqualTo(1.0);
  }

  @Test
  void theTargetsOwnDeadlineEndingAnAttemptIsARealTimeout() {
    start("deadline_ms: 50, retry_matrix: {timeout: {attempts: 1}}, circuit: {error_threshold: 2, cooldown_s: 60}");
    for (int i = 0; i < 2; i++) {
      assertThat(envelope(OTHER, "/slow", "").status()).isEqualTo(504);
    }
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "timeout")).isEqualTo(2.0);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isEqualTo(1.0);
  }

  @Test
  void clientsHangingUpDuringAttemptsNeverOpenTheBreaker() throws Exception {
    start("circuit: {error_threshold: 2, cooldown_s: 60}");
    for (int i = 0; i < 4; i++) {
      hangUpDuring("/slow");
    }
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "cancelled")).isEqualTo(4.0);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    assertThat(envelope(OTHER, "/slow", "").status()).isEqualTo(200);
  }

  @Test
  void aHalfOpenTrialTheClientHangsUpOnFreesItsPlaceWithoutDeciding() throws Exception {
    start("circuit: {error_threshold: 2, cooldown_s: 30}, retry_matrix: {\"5xx\": {attempts: 1}}");
    openWithTwo503s();
    clock.advance(Duration.ofSeconds(31));
    hangUpDuring("/slow");
    assertThat(metric("reliapi_circuit_state", "target", "api")).as("still half-open").isEqualTo(2.0);
    var next = envelope(OTHER, "/ok", "");
    assertThat(next.status()).as("the next request gets the freed trial").isEqualTo(200);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void aHalfOpenTrialEndedByTheClientsOwnTimeoutFreesItsPlaceWithoutDeciding() {
    start("circuit: {error_threshold: 2, cooldown_s: 30}, retry_matrix: {\"5xx\": {attempts: 1}}");
    openWithTwo503s();
    clock.advance(Duration.ofSeconds(31));
    assertThat(envelope(CARELESS, "/slow", ", \"timeout_ms\": 1").status()).isEqualTo(504);
    assertThat(metric("reliapi_circuit_state", "target", "api")).as("still half-open").isEqualTo(2.0);
    var next = envelope(OTHER, "/ok", "");
    assertThat(next.status()).as("the next request gets the freed trial").isEqualTo(200);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api", "from", "half_open", "to", "open"))
        .isZero();
  }

  @Test
  void aTimeoutWhileTheClientIsStillSlowlySendingALargeBodyIsNotTheTargetsFailure() throws Exception {
    start("timeout_ms: 300, retry_matrix: {timeout: {attempts: 1}}, circuit: {error_threshold: 1, cooldown_s: 60}");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /t/api/upload HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + CARELESS
          + "\r\nContent-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[100_000]);
      out.flush();
      // The rest of the body never comes: the upstream waits for it, and the attempt's time runs out.
      await().atMost(Duration.ofSeconds(5)).until(() ->
          metric("reliapi_upstream_attempts_total", "target", "api", "result", "client_timeout") == 1.0);
    }
    assertThat(metric("reliapi_upstream_attempts_total", "target", "api", "result", "timeout")).isZero();
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    assertThat(envelope(OTHER, "/ok", "").status()).isEqualTo(200);
  }

  @Test
  void aTimeoutWhileAnUpstreamThatStoppedReadingHoldsALargeBodyIsTheTargetsFailure() throws Exception {
    try (ServerSocket deaf = new ServerSocket()) {
      deaf.setReceiveBufferSize(4096);
      deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      gateway = GatewayHarness.yaml("""
          targets:
            deaf: {base_url: "http://127.0.0.1:%d", timeout_ms: 3000, retry_matrix: {timeout: {attempts: 1}},
                   circuit: {error_threshold: 1, cooldown_s: 60}}
          """.formatted(deaf.getLocalPort())).clock(clock, ManualScheduler.auto(clock)).start();
      ExecutorService uploader = Executors.newSingleThreadExecutor();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
        uploader.submit(() -> {
          // The head and the first 512 KiB go out in one write, so the body is there as soon as the gateway
          // reads on: this client is never the one being waited for. Socket buffers on the way to the upstream
          // take a few MiB before the upstream's silence holds the upload; the timeout leaves time for that.
          byte[] head = "PUT /t/deaf/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 8388608\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII);
          byte[] first = java.util.Arrays.copyOf(head, head.length + 524_288);
          OutputStream out = socket.getOutputStream();
          out.write(first);
          out.write(new byte[8_388_608 - 524_288]);
          return null;
        });
        Socket held = deaf.accept();
        try {
          await().atMost(Duration.ofSeconds(10)).until(() ->
              metric("reliapi_upstream_attempts_total", "target", "deaf") > 0);
        } finally {
          held.close();
        }
      } finally {
        uploader.shutdownNow();
      }
      assertThat(MetricSamples.scrape(gateway).value("reliapi_upstream_attempts_total", "target", "deaf", "result",
          "timeout")).as(gateway.http.get("/metrics").body().lines().filter(l -> l.contains("attempts")).toList()
          .toString()).isEqualTo(1.0);
      assertThat(metric("reliapi_circuit_state", "target", "deaf")).isEqualTo(1.0);
    }
  }
}
