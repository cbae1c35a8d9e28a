package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw route's OpenAI stream, where the gateway asked for the usage chunk the client did not, is read twice: by the
 * chat stream that settles its usage and by the tee that holds each event until it knows whether to hold it back.
 * Both copies of a large event count against the memory budget (server.max_buffered_bytes) as they arrive; so do the
 * bytes queued for a client that has not taken them yet (RawStreamQueueEndToEndTest).
 */
class RawStreamMemoryEndToEndTest {
  static final int BUDGET = 768 * 1024;
  static final String WORDS = "x".repeat(400 * 1024);

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("""
        server: {port: 0, max_buffered_bytes: %d}
        targets:
          gpt:
            base_url: "%s/v1"
            retry_matrix: {"net": {attempts: 3}}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(BUDGET, e2e.up().baseUrl())));
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(WORDS), 8, 2);
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));
  }

  static String streamed(String options) {
    return "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 30, \"stream\": true," + options
        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
  }

  @Test
  void aLargeEventHeldBackByTheTeeCountsTwiceAndIsShedWithItsBytesBack() {
    Res shed = e2e.gw().http.post("/t/gpt/chat/completions", streamed(""));

    assertThat(shed.status()).as(brief(shed.body())).isEqualTo(503);
    assertThat(shed.body()).contains("OVERLOADED").doesNotContain("xxxx");
    assertThat(e2e.up().count("/v1/chat/completions")).as("not retried").isEqualTo(1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_memory_shed_total")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  @Test
  void theSameEventPassesWhenTheClientAskedForTheUsageAndReadsAlong() {
    // A first token commits the stream, so the client takes the large event's bytes as they come: only the chat
    // stream's reading of it is held whole. Before the commit point the client's queue would hold it all too.
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", WORDS), 8, 2);
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));
    Res passes = e2e.gw().http.post("/t/gpt/chat/completions",
        streamed(" \"stream_options\": {\"include_usage\": true},"));

    assertThat(passes.status()).as(brief(passes.body())).isEqualTo(200);
    assertThat(passes.body()).contains(WORDS).contains("\"usage\":{").contains("[DONE]");
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_memory_shed_total")).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0);
  }

  @Test
  void aLargeEventShedAfterTheStreamCommittedCutsItAndIsRecordedAsOverloaded() {
    // "Hi" commits the stream: the large event that follows is shed with the 200 head already sent.
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", WORDS), 8, 2);
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(events, 1));
    e2e.gw().http.postAsync("/t/gpt/chat/completions", streamed("")).handle((res, cut) -> null).join();

    await().atMost(Duration.ofSeconds(10)).until(() -> buffered() == 0
        && MetricSamples.scrape(e2e.gw()).value("reliapi_errors_total", "target", "gpt") > 0);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_memory_shed_total")).isEqualTo(1);
    assertThat(metrics.value("reliapi_errors_total", "target", "gpt", "code", "OVERLOADED")).isEqualTo(1);
    assertThat(metrics.value("reliapi_errors_total", "target", "gpt", "code", "NETWORK_ERROR")).isZero();
  }

  private double buffered() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_buffered_bytes");
  }

  private static String brief(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
