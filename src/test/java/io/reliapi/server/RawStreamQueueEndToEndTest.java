package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw route's client reads the provider's own bytes from a queue the chat stream fills beside its own reading: a
 * stream held to its commit point ({@code stream_commit: complete}) queues every byte until then, a slow client
 * whatever it has not taken yet. Those bytes count in the memory budget (reliapi_buffered_bytes) as they are queued,
 * and are given back however the stream ends: complete, reset by the provider, cut at {@code stream_max_s}, or its
 * client gone.
 */
class RawStreamQueueEndToEndTest {
  /** Many small events: the raw bytes dwarf the text the chat stream assembles beside them. */
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini",
      Collections.nCopies(1500, "a"), 8, 1500);
  static final List<String> FIRST = EVENTS.subList(0, 1001);
  static final List<String> REST = EVENTS.subList(1001, EVENTS.size());
  static final long FIRST_BYTES = FIRST.stream().mapToLong(String::length).sum();
  static final String BODY = "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 30, \"stream\": true,"
      + " \"stream_options\": {\"include_usage\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  final CompletableFuture<Void> gate = new CompletableFuture<>();

  void start(boolean cut) {
    start(TestYaml.NO_RETRIES);
    e2e.up().otherwise("POST /v1/chat/completions", answer(gate, cut));
  }

  void start(String retries) {
    e2e.start(GatewayHarness.yaml("""
        targets:
          gpt:
            base_url: "%s/v1"
            stream_max_s: 4
            circuit: {enabled: false}
            %s
            llm: {provider: openai, default_model: gpt-4o-mini, stream_commit: complete}
        """.formatted(e2e.up().baseUrl(), retries)));
  }

  /** The stream, its first events at once and the rest once {@code opened}: cut before its end marker, or whole. */
  static Behavior answer(CompletableFuture<Void> opened, boolean cut) {
    List<String> rest = cut ? REST.subList(0, REST.size() - 3) : REST;
    return LlmBehaviors.sseGated(FIRST, opened, rest, cut);
  }

  /** Starts the gateway, sends the request and waits until its first events are held. */
  CompletableFuture<Res> sentAndHeld(boolean cut) {
    start(cut);
    CompletableFuture<Res> answer = e2e.gw().http.postAsync("/t/gpt/chat/completions", BODY);
    awaitBothCopiesCounted();
    return answer;
  }

  /**
   * Waits until the gateway holds the first events: the chat stream's copy (their data) and the client's queue (their
   * bytes) both counted; the chat stream's alone is about half.
   */
  void awaitBothCopiesCounted() {
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() >= 1.9 * FIRST_BYTES);
  }

  @Test
  void theQueuedBytesCountUntilTheClientTookThemAll() {
    CompletableFuture<Res> answer = sentAndHeld(false);
    gate.complete(null);

    Res res = answer.join();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo(String.join("", EVENTS));
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  @Test
  void theQueuedBytesAreGivenBackWhenTheProviderResetsTheStream() {
    CompletableFuture<Res> answer = sentAndHeld(true);
    gate.complete(null);

    assertThat(answer.join().status()).as("held to the end: nothing sent, a failed attempt").isEqualTo(502);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  @Test
  void theQueuedBytesAreGivenBackWhenTheStreamRunsPastStreamMaxS() {
    CompletableFuture<Res> answer = sentAndHeld(false);

    assertThat(answer.join().status()).isEqualTo(504);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  @Test
  void theQueuedBytesAreGivenBackWhenTheClientHangsUp() {
    start(false);
    try (RawConnection client = RawConnection.open(e2e.gw().port(), 10_000)) {
      client.write("POST /t/gpt/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY);
      awaitBothCopiesCounted();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
    gate.complete(null);
  }

  @Test
  void theQueuedBytesOfAnAttemptBrokenBeforeItsCommitPointAreGivenBackBeforeItsRetry() {
    start("retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}");
    CompletableFuture<Void> retried = new CompletableFuture<>();
    e2e.up().script("POST /v1/chat/completions", answer(gate, true), answer(retried, false));
    CompletableFuture<Res> answer = e2e.gw().http.postAsync("/t/gpt/chat/completions", BODY);
    awaitBothCopiesCounted();

    gate.complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> e2e.up().count("/v1/chat/completions") == 2);

    // The retry holds its own first events (both copies): the broken attempt's queue is no longer counted beside them.
    awaitBothCopiesCounted();
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() < 2.5 * FIRST_BYTES);
    assertThat(answer).as("still open: given back before the request ended").isNotDone();
    retried.complete(null);
    Res res = answer.join();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo(String.join("", EVENTS));
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  private double buffered() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_buffered_bytes");
  }
}
