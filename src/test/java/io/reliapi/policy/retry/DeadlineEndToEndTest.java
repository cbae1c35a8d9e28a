package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One deadline bounds attempts, backoff and fallbacks; a client that hangs up ends everything. */
class DeadlineEndToEndTest {

  @Test
  void aSilentUpstreamNeverHoldsARequestPastItsDeadline() {
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               api: {base_url: "%s", timeout_ms: 10000, deadline_ms: 400}
             """.formatted(upstream.baseUrl())).start()) {
      upstream.otherwise("* /silent", Behavior.silence());
      long start = System.nanoTime();
      var r = gateway.http.get("/t/api/silent");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.json().get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
      assertThat(tookMs).isBetween(350L, 1500L);
      assertThat(upstream.count("/silent")).isEqualTo(1);
    }
  }

  @Test
  void returnsTheLastAnswerWhenTheNextBackoffWouldEndAfterTheDeadline() {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.auto(clock);
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               api:
                 base_url: "%s"
                 deadline_ms: 1000
                 retry_matrix: {"5xx": {attempts: 5, backoff: constant, base_s: 0.6}}
             """.formatted(upstream.baseUrl())).clock(clock, scheduler).start()) {
      upstream.otherwise("* /busy", Behavior.respond(503, java.util.Map.of(), "busy"));
      var r = gateway.http.get("/t/api/busy");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("busy");
      assertThat(upstream.count("/busy")).isEqualTo(2);
      assertThat(r.header("X-Retries")).isEqualTo("1");
      assertThat(scheduler.requestedDelaysMs()).containsExactly(600L);
    }
  }

  @Test
  void answers504WhenTheDeadlineExpiresDuringAnAttempt() {
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               api:
                 base_url: "%s"
                 timeout_ms: 10000
                 deadline_ms: 500
                 retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0.05}}
             """.formatted(upstream.baseUrl())).start()) {
      upstream.script("* /then-silent", Behavior.status(502), Behavior.silence());
      long start = System.nanoTime();
      var r = gateway.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/then-silent\"}");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
      assertThat(r.json().get("meta").get("retries").asInt()).isEqualTo(1);
      assertThat(tookMs).isBetween(450L, 1500L);
      assertThat(upstream.count("/then-silent")).isEqualTo(2);
    }
  }

  @Test
  void fallbacksShareTheRequestDeadline() {
    try (MockUpstream upstream = MockUpstream.start();
         MockUpstream backup = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               primary: {base_url: "%s", timeout_ms: 10000, deadline_ms: 400, fallback_targets: [backup]}
               backup: {base_url: "%s"}
             """.formatted(upstream.baseUrl(), backup.baseUrl())).start()) {
      upstream.otherwise("* /x", Behavior.silence());
      long start = System.nanoTime();
      var r = gateway.http.get("/t/primary/x");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r.status()).isEqualTo(504);
      assertThat(tookMs).isLessThan(1500L);
      assertThat(backup.total()).isZero();
    }
  }

  @Test
  void aClientThatHangsUpStopsTheRetriesAndCancelsThePendingWait() throws Exception {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               api:
                 base_url: "%s"
                 retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 5}}
             """.formatted(upstream.baseUrl())).clock(clock, scheduler).start()) {
      upstream.otherwise("* /down", Behavior.status(503));
      try (Socket client = rawGet(gateway.port(), "/t/api/down")) {
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 0);
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(upstream.count("/down")).isEqualTo(1);
      assertThat(gateway.gateway().inFlight()).isZero();
    }
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamCallAndIsNotRetried() throws Exception {
    try (MockUpstream upstream = MockUpstream.start();
         GatewayHarness gateway = GatewayHarness.yaml("""
             targets:
               api:
                 base_url: "%s"
                 timeout_ms: 10000
                 retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.01},
                                timeout: {attempts: 3, backoff: constant, base_s: 0.01}}
             """.formatted(upstream.baseUrl())).start()) {
      CountDownLatch upstreamClosed = new CountDownLatch(1);
      upstream.otherwise("* /hang", call -> call.request().connection().closeHandler(v -> upstreamClosed.countDown()));
      try (Socket client = rawGet(gateway.port(), "/t/api/hang")) {
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.count("/hang") == 1);
      }
      assertThat(upstreamClosed.await(5, TimeUnit.SECONDS)).as("upstream call reset").isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().inFlight() == 0);
      assertThat(upstream.count("/hang")).isEqualTo(1);
      // The hang-up is the client's doing: it is not counted as an upstream network failure.
      String metrics = gateway.http.get("/metrics").body();
      assertThat(metrics).contains("reliapi_upstream_attempts_total{deployment=\"\",result=\"cancelled\",target=\"api\"} 1.0");
      assertThat(metrics).doesNotContain("result=\"net\"");
    }
  }

  private static Socket rawGet(int port, String path) throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
