package io.reliapi.policy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Adaptive limits on targets whose answers stream: an answer's latency is known when its head (an LLM stream's
 * first event) arrives, long before the stream ends, so the limit learns from it then, while the stream keeps
 * its place to the end. And an empty {@code concurrency} block starts wide enough for streams. The gateway's
 * clock and timers are manual, so no queue wait ends unless the test moves the clock; the streams are real.
 */
class StreamingConcurrencyEndToEndTest {
  private static final String CHAT = "POST /v1/chat/completions";
  private static final String STREAMED_CHAT = """
      {"model": "gpt-4o-mini", "stream": true, "messages": [{"role": "user", "content": "hi"}]}""";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  @BeforeEach
  void streamsThatBeginAndHold() {
    // The first events of an answer, then silence with the connection open: the stream has begun, not ended.
    List<String> begun = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 1, 1).subList(0, 2);
    e2e.up().otherwise(CHAT, LlmBehaviors.sseThenSilence(begun, 1));
    e2e.up().otherwise("GET /download", call -> call.request().response().setChunked(true).write("first part"));
    e2e.up().otherwise("GET /quick", call -> call.request().response().end("ok"));
  }

  private void start(String concurrency) {
    e2e.start(GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        targets:
          openai:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
            concurrency: %2$s
          api:
            base_url: "%1$s"
            concurrency: %2$s
        """.formatted(e2e.up().baseUrl(), concurrency)).clock(clock, scheduler));
  }

  private double metric(String name, String target) {
    return MetricSamples.scrape(e2e.gw()).value(name, "target", target);
  }

  private CompletableFuture<Res> stream() {
    return e2e.gw().http.postAsync("/v1/chat/completions", STREAMED_CHAT, "X-ReliAPI-Target", "openai");
  }

  @Test
  void anEmptyConcurrencyBlockLetsEightStreamsStartAtOnceWithoutQueueing() {
    start("{}");
    assertThat(metric("reliapi_concurrency_limit", "openai")).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      stream();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> e2e.up().count("/v1/chat/completions") == 8);
    assertThat(metric("reliapi_concurrency_in_flight", "openai")).isEqualTo(8);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_concurrency_queued_total")).as("none waited for a place").isZero();
    assertThat(metrics.value("reliapi_concurrency_shed_total")).isZero();
  }

  @Test
  void theLimitLearnsFromAStreamsFirstEventWhileTheStreamKeepsItsPlace() {
    start("{min: 1, max: 10}");
    stream();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/v1/chat/completions") == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> metric("reliapi_concurrency_limit", "openai") == 2);

    stream();
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/v1/chat/completions") == 2);
    assertThat(metric("reliapi_concurrency_in_flight", "openai")).as("both streams hold places").isEqualTo(2);
    assertThat(metric("reliapi_concurrency_waiting", "openai")).isZero();
  }

  @Test
  void aSlowlyReadDownloadNoLongerHoldsTheOnlyPlaceOfANewLimit() {
    start("{min: 1, max: 10}");
    e2e.gw().http.getAsync("/t/api/download");
    await().atMost(Duration.ofSeconds(5)).until(() -> metric("reliapi_concurrency_limit", "api") == 2);

    CompletableFuture<Res> quick = e2e.gw().http.getAsync("/t/api/quick");
    await().atMost(Duration.ofSeconds(5)).until(quick::isDone);
    assertThat(quick.join().body()).isEqualTo("ok");
    assertThat(metric("reliapi_concurrency_in_flight", "api")).as("the download still holds its place").isEqualTo(1);
  }
}
