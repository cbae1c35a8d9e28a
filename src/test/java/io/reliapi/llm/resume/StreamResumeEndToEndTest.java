package io.reliapi.llm.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream the provider breaks after its first tokens, on a target with {@code llm.stream_resume: true}: the
 * gateway asks the provider to continue the same answer, the text sent given as the assistant's prefix, and
 * splices the continuation in, so the client gets one whole answer, charged for both calls, counted once and
 * replayed whole. A break with a tool call started, or on a target without the key, ends in the route's error as
 * before (docs/streaming.md, "Continuing a broken stream").
 */
class StreamResumeEndToEndTest {
  static final String MODEL = "claude-haiku-4-5";
  static int keys;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          llm:
            provider: anthropic
            default_model: claude-haiku-4-5
            stream_resume: true
            limits: {tpm: 1000000}
            budget: {daily_usd: 1000000}
            prices: {claude-haiku-4-5: {input_per_1m: 1000000, output_per_1m: 1000000}, \
      gpt-4o-mini: {input_per_1m: 1000000, output_per_1m: 1000000}}
        gpt:
          base_url: "%1$s/v1"
          retry_matrix: {"5xx": {attempts: 1}}
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini}
          fallback_targets: [claude]
        stalls:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true, stream_idle_timeout_ms: 200}
        single:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          concurrency: {adaptive: false, max: 1, queue_size: 1, queue_timeout_ms: 300}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        mistral:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          llm: {provider: mistral, default_model: mistral-small-latest, stream_resume: true}
        plain:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      """.formatted(up.baseUrl())));

  /** The provider's first call: its events up to {@code pieces}, then the connection reset. */
  static List<String> cutAfter(List<String> pieces) {
    List<String> events = LlmBehaviors.anthropicStreamEvents(MODEL, pieces, 25, 15);
    return events.subList(0, 3 + pieces.size());
  }

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  static double metric(String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  /** The last message of the provider call {@code index} (0: the first since {@code before}). */
  static JsonNode lastMessage(int before, int index) {
    JsonNode body = json(e2e.up().requests().get(before + index).bodyText());
    JsonNode messages = body.path("messages");
    return messages.get(messages.size() - 1);
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "ANTHROPIC", "RESPONSES", "PROXY_LLM"})
  void aStreamCutAfterItsFirstTokensIsContinuedIntoOneWholeAnswer(StreamRoute route) {
    MockUpstream up = e2e.up();
    up.script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" le", " monde"), 30, 3), 1));
    int before = up.requests().size();
    double requests = metric("reliapi_requests_total", "target", "claude");
    double completion = metric("reliapi_llm_tokens_total", "target", "claude", "type", "completion");
    double prompt = metric("reliapi_llm_tokens_total", "target", "claude", "type", "prompt");
    double cost = metric("reliapi_llm_cost_usd_total", "target", "claude");
    String key = "resume-" + route + "-" + keys++;

    Streamed answer;
    String accessLine;
    try (LogCapture log = LogCapture.capture()) {
      answer = route.call(e2e.gw(), "claude", "Idempotency-Key", key);
      await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      accessLine = log.accessLines().getFirst();
    }

    assertThat(answer.whole()).as("one whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour le monde");
    assertThat(answer.starts()).as("one start of the assistant's turn").isEqualTo(1);
    assertThat(up.requests().size() - before).as("the call and its continuation").isEqualTo(2);
    JsonNode prefill = lastMessage(before, 1);
    assertThat(prefill.path("role").asText()).isEqualTo("assistant");
    assertThat(prefill.path("content").asText()).isEqualTo("Bonjour");
    assertThat(lastMessage(before, 0).path("role").asText()).isEqualTo("user");

    assertThat(metric("reliapi_requests_total", "target", "claude") - requests).as("one request").isEqualTo(1);
    assertThat(metric("reliapi_buffered_bytes")).as("bytes of the memory budget given back").isZero();
    double prompts = metric("reliapi_llm_tokens_total", "target", "claude", "type", "prompt") - prompt;
    double completions = metric("reliapi_llm_tokens_total", "target", "claude", "type", "completion") - completion;
    assertThat(prompts).as("both calls' prompts").isEqualTo(55);
    assertThat(completions).as("what each call streamed").isGreaterThanOrEqualTo(3 + 1);
    assertThat(metric("reliapi_llm_cost_usd_total", "target", "claude") - cost).as("both calls charged, $1 a token")
        .isEqualTo(prompts + completions);
    List<Long> settled = Pattern.compile("llm_limit settled (\\d+) tokens").matcher(accessLine).results()
        .map(m -> Long.parseLong(m.group(1))).toList();
    assertThat(settled).as("each call's tokens settled once on the token limit: %s", accessLine).hasSize(2);
    assertThat(settled.get(0) + settled.get(1)).isEqualTo((long) (prompts + completions));
    List<Double> charged = Pattern.compile("budget settled ([0-9.]+)").matcher(accessLine).results()
        .map(m -> Double.parseDouble(m.group(1))).toList();
    assertThat(charged).as("each call settled once on the period budget: %s", accessLine).hasSize(2);
    assertThat(charged.get(0) + charged.get(1)).isEqualTo(prompts + completions);
    if (route == StreamRoute.PROXY_LLM) {
      JsonNode done = answer.events().stream().filter(e -> "done".equals(e.name())).findFirst().orElseThrow().json();
      assertThat(done.path("usage").path("prompt_tokens").asLong()).isEqualTo(55);
      assertThat(done.path("usage").path("completion_tokens").asDouble()).isEqualTo(completions);
      assertThat(done.path("cost_usd").asDouble()).as("the cost the client is told").isEqualTo(prompts + completions);
    }
    if (route == StreamRoute.RESPONSES) {
      JsonNode usage = answer.events().stream().filter(e -> "response.completed".equals(e.name())).findFirst()
          .orElseThrow().json().path("response").path("usage");
      assertThat(usage.path("input_tokens").asLong()).isEqualTo(55);
      assertThat(usage.path("output_tokens").asDouble()).isEqualTo(completions);
    }
    if (route == StreamRoute.ANTHROPIC) {
      JsonNode usage = answer.events().stream().filter(e -> "message_delta".equals(e.name())).findFirst()
          .orElseThrow().json().path("usage");
      assertThat(usage.path("input_tokens").asLong()).as("the client's usage is the sum").isEqualTo(55);
      assertThat(usage.path("output_tokens").asDouble()).isEqualTo(completions);
    }

    Streamed replay = route.call(e2e.gw(), "claude", "Idempotency-Key", key);
    assertThat(replay.whole()).as("replayed whole: %s", replay.body()).isTrue();
    assertThat(replay.text()).isEqualTo("Bonjour le monde");
    assertThat(up.requests().size() - before).as("the replay calls no provider").isEqualTo(2);
  }

  @Test
  void theUsageChunkAnOpenAiClientAskedForIsTheSumOfBothCalls() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));
    String body = "{\"model\": \"claude/claude-haiku-4-5\", \"stream\": true, \"stream_options\": "
        + "{\"include_usage\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

    RawHttp.Response response = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", body);

    List<SseEvents.Event> events = SseEvents.parse(response.body());
    assertThat(events.getLast().data()).as(response.body()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> !e.data().equals("[DONE]")).forEach(e ->
        e.json().path("choices").forEach(c -> text.append(c.path("delta").path("content").asText(""))));
    assertThat(text.toString()).isEqualTo("Bonjour monde");
    JsonNode usage = events.stream().map(SseEvents.Event::data).filter(d -> d.contains("\"usage\""))
        .map(StreamResumeEndToEndTest::json).reduce((a, b) -> b).orElseThrow().path("usage");
    assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(55);
    assertThat(usage.path("completion_tokens").asLong()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void whitespaceAnthropicRefusesAtTheEndOfAPrefillIsNeitherDoubledNorLost() {
    MockUpstream up = e2e.up();
    up.script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bonjour,", " le ")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" ", "monde\\n"), 30, 3), 1));
    int before = up.requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour, le monde\n");
    assertThat(lastMessage(before, 1).path("content").asText()).as("no trailing whitespace")
        .isEqualTo("Bonjour, le");
  }

  @Test
  void aContinuationWrittenWithoutTheTrimmedSpaceKeepsTheOneSent() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bonjour ")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of("monde"), 30, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.text()).isEqualTo("Bonjour monde");
  }

  @Test
  void aContinuationAsksOnlyForTheOutputLeft() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of("!"), 30, 1), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.ANTHROPIC.call(e2e.gw(), "claude");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    long first = json(e2e.up().requests().get(before).bodyText()).path("max_tokens").asLong();
    long second = json(e2e.up().requests().get(before + 1).bodyText()).path("max_tokens").asLong();
    assertThat(first).isEqualTo(100);
    assertThat(second).as("less what the first call streamed").isLessThan(first).isGreaterThan(90);
  }

  @Test
  void aStreamThatStallsAfterItsFirstTokensIsContinued() {
    AtomicBoolean stalledLetGo = new AtomicBoolean();
    Behavior stall = LlmBehaviors.sseThenSilence(cutAfter(List.of("Bon", "jour")), 1);
    e2e.up().script("POST /v1/messages", call -> {
      call.request().connection().closeHandler(v -> stalledLetGo.set(true));
      stall.respond(call);
    }, LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "stalls");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    await("the stalled connection is let go").atMost(Duration.ofSeconds(5)).until(stalledLetGo::get);
  }

  @Test
  void theBrokenCallGivesItsConcurrencyPlaceToTheContinuation() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "single");

    assertThat(answer.whole()).as("one place, held by one call at a time: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
  }

  @Test
  void aFallbackTargetWithStreamResumeContinuesTheStreamItAnswers() {
    e2e.up().script("POST /v1/chat/completions", Behavior.respond(503, LlmBehaviors.openAiHeaders(), "{}"));
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "gpt");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
    assertThat(e2e.up().requests().subList(before, e2e.up().requests().size()))
        .extracting(MockUpstream.Recorded::path)
        .containsExactly("/v1/chat/completions", "/v1/messages", "/v1/messages");
  }

  @Test
  void anOverloadedErrorEventMidStreamIsContinuedToo() {
    List<String> events = new ArrayList<>(cutAfter(List.of("Bon", "jour")));
    events.add("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}\n\n");
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(events, 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));

    Streamed answer = StreamRoute.ANTHROPIC.call(e2e.gw(), "claude");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour monde");
  }

  @Test
  void aCutWithAToolCallStartedEndsInTheErrorEvent() {
    List<String> events = new ArrayList<>(cutAfter(List.of("Let me look.")));
    events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    events.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather\",\"input\":{}}}\n\n");
    events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}\n\n");
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(events, 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude");

    assertThat(answer.error()).as(answer.body()).isNotNull();
    assertThat(answer.whole()).isFalse();
    assertThat(e2e.up().requests().size() - before).as("never continued").isEqualTo(1);
  }

  @Test
  void withoutStreamResumeACutEndsInTheErrorEventAsBefore() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "plain");

    assertThat(answer.text()).isEqualTo("Bonjour");
    assertThat(answer.error()).as(answer.body()).isNotNull();
    assertThat(e2e.up().requests().size() - before).isEqualTo(1);
  }

  @Test
  void aContinuationCutAgainIsContinuedAgainWithinTheTargetsRetries() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Un")), 1),
        LlmBehaviors.sseThenReset(cutAfter(List.of(" deux")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" trois"), 30, 3), 1));
    int before = e2e.up().requests().size();

    Streamed answer;
    try (LogCapture log = LogCapture.capture()) {
      answer = StreamRoute.V1.call(e2e.gw(), "claude");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      assertThat(log.accessLines().getFirst()).as("each continuation in the trail")
          .contains("stream_resumed claude#1 net").contains("stream_resumed claude#2 net");
    }

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Un deux trois");
    assertThat(lastMessage(before, 2).path("content").asText()).isEqualTo("Un deux");
  }

  @Test
  void whenTheResumesRunOutTheClientGetsTheErrorEventAndNothingIsKept() {
    // net: 3 attempts, so two continuations; each cut again.
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Un")), 1),
        LlmBehaviors.sseThenReset(cutAfter(List.of(" deux")), 1),
        LlmBehaviors.sseThenReset(cutAfter(List.of(" trois")), 1));
    int before = e2e.up().requests().size();
    String key = "spent-" + keys++;

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "claude", "Idempotency-Key", key);

    assertThat(answer.text()).isEqualTo("Un deux trois");
    assertThat(answer.error()).as(answer.body()).isNotNull();
    assertThat(e2e.up().requests().size() - before).isEqualTo(3);
    Streamed repeat = StreamRoute.V1.call(e2e.gw(), "claude", "Idempotency-Key", key);
    assertThat(repeat.status()).isEqualTo(504);
    assertThat(e2e.up().requests().size() - before).as("never replayed").isEqualTo(3);
  }

  @Test
  void mistralIsGivenTheTextAsAPrefixAndItsCopyOfItIsDropped() {
    List<String> first = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour "), 12, 5);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(first.subList(0, 3), 1),
        LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents("mistral-small-latest",
            List.of("Bon", "jour le", " monde"), 14, 3), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "mistral");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour le monde");
    JsonNode prefix = lastMessage(before, 1);
    assertThat(prefix.path("role").asText()).isEqualTo("assistant");
    assertThat(prefix.path("content").asText()).as("whitespace and all").isEqualTo("Bonjour ");
    assertThat(prefix.path("prefix").asBoolean()).isTrue();
    JsonNode usage = answer.events().stream().map(SseEvents.Event::data).filter(d -> d.contains("\"usage\""))
        .map(StreamResumeEndToEndTest::json).reduce((a, b) -> b).orElseThrow().path("usage");
    assertThat(usage.path("prompt_tokens").asLong()).as("both calls' prompts, in Mistral's last chunk")
        .isGreaterThan(14);
    assertThat(usage.path("completion_tokens").asLong()).isGreaterThan(3);
  }

  @Test
  void aMistralContinuationThatDoesNotRepeatThePrefixIsKeptWhole() {
    List<String> first = LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour"), 12, 5);
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(first.subList(0, 3), 1),
        LlmBehaviors.sse(LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bo", "nsoir"), 14, 3), 1));

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "mistral");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).as("a start like the prefix's that parts from it is not an echo")
        .isEqualTo("BonjourBonsoir");
  }

  @Test
  void aClientThatHangsUpDuringAContinuationHoldsNothing() throws Exception {
    List<String> rest = LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" jour", " monde"), 30, 3);
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon")), 1),
        LlmBehaviors.sseGated(rest.subList(0, 4), new CompletableFuture<>(), rest.subList(4, rest.size()), false));
    int before = e2e.up().requests().size();

    try (PendingStream client = StreamRoute.V1.open(e2e.gw(), "claude")) {
      client.readUntil("jour", 1);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().openConnections() == 0);
    assertThat(metric("reliapi_buffered_bytes")).as("bytes of the memory budget").isZero();
    assertThat(e2e.up().requests().size() - before).isEqualTo(2);
  }
}
