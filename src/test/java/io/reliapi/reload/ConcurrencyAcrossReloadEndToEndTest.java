package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A target's concurrency limit across a reload that changes its {@code concurrency} block while attempts hold its
 * places: the new limit counts the places the attempts of the old config still hold, and the attempts waiting stay
 * in the queue. The upstream holds every call until the test answers it, and counts how many it holds at once.
 * The limiter lives in the instance's memory whatever the store, so one store is enough.
 */
class ConcurrencyAcrossReloadEndToEndTest extends AcrossReload {
  private final AtomicInteger mostHeld = new AtomicInteger();
  private final List<CompletableFuture<Res>> sent = new ArrayList<>();

  private String config(String concurrency) {
    return "server: {drain_timeout_ms: 0}\ntargets:\n  api:\n    base_url: \"" + up.baseUrl() + "\"\n"
        + "    retry_matrix: {\"5xx\": {attempts: 2, backoff: constant, base_s: 0}}\n"
        + "    concurrency: " + concurrency + "\n";
  }

  private void start(String concurrency) {
    up.otherwise("GET /work", call -> {
      held.add(call);
      mostHeld.accumulateAndGet(held.size(), Math::max);
    });
    gw = ReloadableGateway.start(dir, Store.MEMORY, config(concurrency), Map.of());
  }

  /** Sends {@code n} requests and waits until {@code atUpstream} calls are held and {@code waiting} wait. */
  private void send(int n, int atUpstream, int waiting) {
    for (int i = 0; i < n; i++) {
      sent.add(gw.http.getAsync("/t/api/work"));
    }
    awaitState(atUpstream, waiting);
  }

  private void awaitState(int atUpstream, int waiting) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
      assertThat(held).hasSize(atUpstream);
      assertThat(gw.metrics().value("reliapi_concurrency_waiting", "target", "api")).isEqualTo(waiting);
    });
  }

  /** Answers the call held longest, so its place comes back. */
  private void answerOne() {
    MockUpstream.Call call = held.poll();
    Behavior.json(200, "{}").respond(call);
  }

  private void answerAllAndExpectEveryRequestServed() {
    while (!sent.stream().allMatch(CompletableFuture::isDone)) {
      if (held.isEmpty()) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
            .until(() -> !held.isEmpty() || sent.stream().allMatch(CompletableFuture::isDone));
        continue;
      }
      answerOne();
    }
    assertThat(sent).allSatisfy(res -> assertThat(res.join().status()).isEqualTo(200));
  }

  @Test
  void aLimitLoweredWhileItsPlacesAreHeldLetsNoNewCallThroughUntilTheOldOnesEndUnderTheNewLimit() {
    start("{adaptive: false, max: 2, queue_size: 10, queue_timeout_ms: 10000}");
    send(2, 2, 0);

    gw.reload(config("{adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 10000}"));
    send(2, 2, 2);
    answerOne();
    awaitState(1, 2);  // one old call still holds the only place
    answerOne();
    awaitState(1, 1);
    answerAllAndExpectEveryRequestServed();
    assertThat(mostHeld.get()).isEqualTo(2);
    assertThat(gw.metrics().value("reliapi_concurrency_limit", "target", "api")).isEqualTo(1);
  }

  @Test
  void aLimitRaisedWhileAttemptsWaitAdmitsTheWaitingOnesAndCountsThePlacesHeld() {
    start("{adaptive: false, max: 2, queue_size: 10, queue_timeout_ms: 10000}");
    send(4, 2, 2);

    gw.reload(config("{adaptive: false, max: 3, queue_size: 10, queue_timeout_ms: 10000}"));
    awaitState(3, 1);  // one waiting attempt takes the new place at once
    send(1, 3, 2);
    answerAllAndExpectEveryRequestServed();
    assertThat(mostHeld.get()).isEqualTo(3);
  }

  @Test
  void aChangeOfAnotherKeyOfTheBlockKeepsThePlacesHeldAndTheQueue() {
    start("{adaptive: false, max: 2, queue_size: 10, queue_timeout_ms: 10000}");
    send(3, 2, 1);

    gw.reload(config("{adaptive: false, max: 2, queue_size: 5, queue_timeout_ms: 9000}"));
    send(1, 2, 2);
    answerOne();
    awaitState(2, 1);
    answerAllAndExpectEveryRequestServed();
    assertThat(mostHeld.get()).isEqualTo(2);
  }

  @Test
  void aBlockRemovedAndAddedBackStillCountsThePlacesOfTheAttemptsThatStartedUnderIt() {
    start("{adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 10000}");
    send(1, 1, 0);

    gw.reload(config("null").replace("    concurrency: null\n", ""));
    send(1, 2, 0);  // no limit now
    gw.reload(config("{adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 10000}"));
    send(1, 2, 1);  // the first call, started under the limit, still holds its place
    answerAllAndExpectEveryRequestServed();
  }

  /** The queue timeout (a minute) is far past the wait allowed here: the waiting attempts go at the reload. */
  @Test
  void attemptsWaitingWhenTheBlockIsRemovedProceedAtOnce() {
    start("{adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 60000}");
    send(3, 1, 2);

    gw.reload(config("null").replace("    concurrency: null\n", ""));
    awaitState(3, 0);
    answerAllAndExpectEveryRequestServed();
    assertThat(mostHeld.get()).isEqualTo(3);
  }

  @Test
  void aRetryOfARequestThatStartedOnTheOldConfigIsAdmittedUnderTheNewLimitAndLeavesItInPlace() {
    start("{adaptive: false, max: 2, queue_size: 10, queue_timeout_ms: 10000}");
    send(1, 1, 0);

    gw.reload(config("{adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 10000}"));
    Behavior.json(503, "{}").respond(held.poll());
    awaitState(1, 0);  // the retry, on its old config, took the one place of the new limit
    send(1, 1, 1);
    answerAllAndExpectEveryRequestServed();
    assertThat(mostHeld.get()).isEqualTo(1);
    assertThat(gw.metrics().value("reliapi_concurrency_limit", "target", "api")).isEqualTo(1);
  }
}
