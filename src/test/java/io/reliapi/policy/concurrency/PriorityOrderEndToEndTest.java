package io.reliapi.policy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order in which a target's limit admits and sheds attempts of interactive and batch clients, end to end
 * and deterministic: one place, upstream answers held until the test releases them one by one, and a manual
 * clock, so no queue wait ends on its own. Which attempt reaches the upstream next is the gateway's choice alone.
 * (How much that order buys in latency under real load is measured by {@code PrioritiesUnderLoadEndToEndTest}.)
 */
class PriorityOrderEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();
  private final LinkedBlockingQueue<MockUpstream.Call> held = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    e2e.up().otherwise("GET /held", held::add);
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        clients:
          - {name: web, key_env: WEB_KEY}
          - {name: jobs, key_env: JOBS_KEY, priority: batch}
        targets:
          api:
            base_url: "%s"
            concurrency: {adaptive: false, max: 1, queue_size: 2, queue_timeout_ms: 60000}
        """.formatted(e2e.up().baseUrl())).env("WEB_KEY", "web-secret").env("JOBS_KEY", "jobs-secret")
        .clock(clock, ManualScheduler.manual(clock)));
  }

  private CompletableFuture<Res> send(String key, String who) {
    return e2e.gw().http.getAsync("/t/api/held?who=" + who, "X-API-Key", key);
  }

  private double metric(String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  private void awaitWaiting(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> metric("reliapi_concurrency_waiting", "target", "api") == n);
  }

  /** Answers the attempt holding the place and returns who gets it next (the next call to reach the upstream). */
  private String releaseAndSeeNext() throws InterruptedException {
    answer(held.take());
    MockUpstream.Call next = held.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("an attempt took the freed place").isNotNull();
    held.add(next);
    return next.request().getParam("who");
  }

  private void answer(MockUpstream.Call call) {
    Behavior.status(200).respond(call);
  }

  @Test
  void aFreedPlaceGoesToTheWaitingInteractiveAttemptBeforeTheBatchOnesThatCameFirst() throws Exception {
    CompletableFuture<Res> first = send("web-secret", "first");
    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);
    CompletableFuture<Res> batch = send("jobs-secret", "batch");
    awaitWaiting(1);
    CompletableFuture<Res> interactive = send("web-secret", "interactive");
    awaitWaiting(2);

    assertThat(releaseAndSeeNext()).isEqualTo("interactive");
    assertThat(releaseAndSeeNext()).isEqualTo("batch");
    answer(held.take());
    for (CompletableFuture<Res> answered : List.of(first, batch, interactive)) {
      assertThat(answered.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(metric("reliapi_concurrency_shed_total")).isZero();
  }

  @Test
  void aFullQueueShedsTheBatchAttemptThatCameLastToMakeRoomForAnInteractiveOneAndShedsNewBatchAtOnce()
      throws Exception {
    send("web-secret", "first");
    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);
    CompletableFuture<Res> earlyBatch = send("jobs-secret", "early-batch");
    awaitWaiting(1);
    CompletableFuture<Res> lateBatch = send("jobs-secret", "late-batch");
    awaitWaiting(2);

    CompletableFuture<Res> interactive = send("web-secret", "interactive");
    Res displaced = lateBatch.get(5, TimeUnit.SECONDS);
    assertThat(displaced.status()).isEqualTo(503);
    assertThat(displaced.json().get("code").asText()).isEqualTo("OVERLOADED");
    Res overflow = send("jobs-secret", "overflow").get(5, TimeUnit.SECONDS);
    assertThat(overflow.status()).as("a batch attempt finding the queue full is shed at once").isEqualTo(503);
    assertThat(interactive).isNotDone();

    assertThat(releaseAndSeeNext()).isEqualTo("interactive");
    assertThat(releaseAndSeeNext()).isEqualTo("early-batch");
    answer(held.take());
    assertThat(interactive.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(earlyBatch.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(metric("reliapi_concurrency_shed_total", "priority", "batch", "reason", "displaced")).isEqualTo(1);
    assertThat(metric("reliapi_concurrency_shed_total", "priority", "batch", "reason", "queue_full")).isEqualTo(1);
    assertThat(metric("reliapi_concurrency_shed_total", "priority", "interactive")).isZero();
    assertThat(e2e.up().requests()).extracting(MockUpstream.Recorded::uri)
        .noneMatch(uri -> uri.contains("late-batch") || uri.contains("overflow"));
  }
}
