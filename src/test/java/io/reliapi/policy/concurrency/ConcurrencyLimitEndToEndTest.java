package io.reliapi.policy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fixed concurrency limit of one, end to end: what waits, what is shed and why, and when a place comes back.
 * The gateway's clock and timers are manual, so a queue wait ends exactly when the test moves the clock; the
 * upstream's own delays run in real time.
 */
class ConcurrencyLimitEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  private void start(String targetExtras) {
    start(2_000, targetExtras);
  }

  private void start(long queueTimeoutMs, String targetExtras) {
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        targets:
          api:
            base_url: "%s"
            concurrency: {adaptive: false, max: 1, queue_size: 1, queue_timeout_ms: %d}
        """.formatted(e2e.up().baseUrl(), queueTimeoutMs) + targetExtras).clock(clock, scheduler));
  }

  private MetricSamples metrics() {
    return MetricSamples.scrape(e2e.gw());
  }

  private void awaitWaiting(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> metrics().value("reliapi_concurrency_waiting", "target", "api") == n);
  }

  private static void assertShed(Res r) {
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.json().get("code").asText()).isEqualTo("OVERLOADED");
  }

  @Test
  void anAttemptOverTheLimitWaitsForThePlaceAndOneOverTheQueueIsShedAtOnce() {
    e2e.up().otherwise("GET /slow", Behavior.delayed(300, Behavior.status(200)));
    start("");
    CompletableFuture<Res> first = e2e.gw().http.getAsync("/t/api/slow");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/slow") == 1);
    CompletableFuture<Res> second = e2e.gw().http.getAsync("/t/api/slow");
    awaitWaiting(1);

    assertShed(e2e.gw().http.get("/t/api/slow"));
    assertThat(first.join().status()).isEqualTo(200);
    assertThat(second.join().status()).isEqualTo(200);
    assertThat(e2e.up().count("/slow")).isEqualTo(2);
    MetricSamples m = metrics();
    assertThat(m.value("reliapi_concurrency_shed_total", "target", "api", "reason", "queue_full")).isEqualTo(1);
    assertThat(m.value("reliapi_concurrency_queued_total", "target", "api", "priority", "interactive")).isEqualTo(1);
    assertThat(m.value("reliapi_concurrency_limit", "target", "api")).isEqualTo(1);
    assertThat(m.value("reliapi_concurrency_in_flight", "target", "api")).isZero();
  }

  @Test
  void aWaitEndsAfterTheQueueTimeoutWith503AndNothingSent() {
    e2e.up().otherwise("GET /held", Behavior.silence());
    start("");
    e2e.gw().http.getAsync("/t/api/held");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/held") == 1);
    CompletableFuture<Res> waiting = e2e.gw().http.getAsync("/t/api/held");
    awaitWaiting(1);

    scheduler.advance(Duration.ofMillis(1_999));
    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertShed(waiting.join());
    assertThat(e2e.up().count("/held")).isEqualTo(1);
    assertThat(metrics().value("reliapi_concurrency_shed_total", "reason", "queue_timeout")).isEqualTo(1);
  }

  @Test
  void aWaitNeverOutlastsTheRequestsDeadline() {
    e2e.up().otherwise("GET /held", Behavior.silence());
    // The first request's attempt ends by its deadline in real time (an I/O timeout): 10 s, long after the test.
    start(60_000, "    deadline_ms: 10000\n");
    e2e.gw().http.getAsync("/t/api/held");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/held") == 1);
    CompletableFuture<Res> waiting = e2e.gw().http.getAsync("/t/api/held");
    awaitWaiting(1);

    scheduler.advance(Duration.ofMillis(9_999));
    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertShed(waiting.join());
    assertThat(metrics().value("reliapi_concurrency_shed_total", "reason", "deadline")).isEqualTo(1);
  }

  @Test
  void aClientThatHangsUpWhileWaitingLeavesTheQueue() throws Exception {
    e2e.up().otherwise("GET /slow", Behavior.delayed(400, Behavior.status(200)));
    start("");
    CompletableFuture<Res> first = e2e.gw().http.getAsync("/t/api/slow");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/slow") == 1);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), e2e.gw().port())) {
      OutputStream out = client.getOutputStream();
      out.write("GET /t/api/slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitWaiting(1);
    }
    awaitWaiting(0);
    assertThat(first.join().status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/api/slow").status()).isEqualTo(200);
    assertThat(e2e.up().count("/slow")).isEqualTo(2);
    assertThat(metrics().value("reliapi_concurrency_shed_total")).isZero();
  }

  @Test
  void aStreamedAnswerHoldsItsPlaceUntilItsLastByte() {
    AtomicLong streamEnded = new AtomicLong();
    AtomicLong quickArrived = new AtomicLong();
    e2e.up().otherwise("GET /stream", call -> {
      var response = call.request().response().setChunked(true).putHeader("Content-Type", "text/plain");
      response.write("a");
      call.vertx().setTimer(500, t -> {
        streamEnded.set(System.nanoTime());
        response.end("b");
      });
    });
    e2e.up().otherwise("GET /quick", call -> {
      quickArrived.set(System.nanoTime());
      call.request().response().end("ok");
    });
    start("");
    CompletableFuture<Res> streamed = e2e.gw().http.getAsync("/t/api/stream");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/stream") == 1);
    CompletableFuture<Res> next = e2e.gw().http.getAsync("/t/api/quick");
    awaitWaiting(1);

    assertThat(streamed.join().body()).isEqualTo("ab");
    assertThat(next.join().body()).isEqualTo("ok");
    assertThat(quickArrived.get()).isGreaterThan(streamEnded.get());
  }
}
