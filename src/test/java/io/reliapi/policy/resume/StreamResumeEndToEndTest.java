package io.reliapi.policy.resume;

import static io.reliapi.policy.resume.ResumeGateway.MODEL;
import static io.reliapi.policy.resume.ResumeGateway.cutAfter;
import static io.reliapi.policy.resume.ResumeGateway.json;
import static io.reliapi.policy.resume.ResumeGateway.lastMessage;
import static io.reliapi.policy.resume.ResumeGateway.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.StreamRoute;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream the provider breaks after its first tokens, on a target with {@code llm.stream_resume: true}: the
 * gateway asks the provider to continue the same answer, the text sent given as the assistant's prefix, and
 * splices the continuation in, so the client gets one whole answer, charged for both calls, counted once and
 * replayed whole; a continuation broken again is continued again within the target's retries
 * (docs/streaming.md, "Continuing a broken stream"). Joins: {@link StreamResumeJoinEndToEndTest}; which
 * streams and faults, and the continuation as an attempt: {@link StreamResumeBoundsEndToEndTest}.
 */
class StreamResumeEndToEndTest {
  static int keys;

  @RegisterExtension
  static final GatewayExtension e2e = ResumeGateway.create();

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "ANTHROPIC", "RESPONSES", "PROXY_LLM"})
  void aStreamCutAfterItsFirstTokensIsContinuedIntoOneWholeAnswer(StreamRoute route) {
    MockUpstream up = e2e.up();
    up.script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" le", " monde"), 30, 3), 1));
    int before = up.requests().size();
    double requests = metric(e2e, "reliapi_requests_total", "target", "claude");
    double completion = metric(e2e, "reliapi_llm_tokens_total", "target", "claude", "type", "completion");
    double prompt = metric(e2e, "reliapi_llm_tokens_total", "target", "claude", "type", "prompt");
    double cost = metric(e2e, "reliapi_llm_cost_usd_total", "target", "claude");
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
    JsonNode prefill = lastMessage(e2e, before, 1);
    assertThat(prefill.path("role").asText()).isEqualTo("assistant");
    assertThat(prefill.path("content").asText()).isEqualTo("Bonjour");
    assertThat(lastMessage(e2e, before, 0).path("role").asText()).isEqualTo("user");

    assertThat(metric(e2e, "reliapi_requests_total", "target", "claude") - requests).as("one request").isEqualTo(1);
    assertThat(metric(e2e, "reliapi_buffered_bytes")).as("bytes of the memory budget given back").isZero();
    double prompts = metric(e2e, "reliapi_llm_tokens_total", "target", "claude", "type", "prompt") - prompt;
    double completions = metric(e2e, "reliapi_llm_tokens_total", "target", "claude", "type", "completion") - completion;
    assertThat(prompts).as("both calls' prompts").isEqualTo(55);
    assertThat(completions).as("what each call streamed").isGreaterThanOrEqualTo(3 + 1);
    assertThat(metric(e2e, "reliapi_llm_cost_usd_total", "target", "claude") - cost).as("both calls charged, $1 a token")
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
        .map(ResumeGateway::json).reduce((a, b) -> b).orElseThrow().path("usage");
    assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(55);
    assertThat(usage.path("completion_tokens").asLong()).isGreaterThanOrEqualTo(4);
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
  void aContinuationCutAgainIsContinuedAgainWithinTheTargetsRetries() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Un")), 1),
        LlmBehaviors.sseThenReset(cutAfter(List.of(" deux")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" trois"), 30, 3), 1));
    int before = e2e.up().requests().size();
    double resumes = metric(e2e, "reliapi_llm_stream_resumes_total", "target", "claude", "class", "net");
    double retries = metric(e2e, "reliapi_retries_total", "target", "claude", "class", "net");

    Streamed answer;
    String accessLine;
    try (LogCapture log = LogCapture.capture()) {
      answer = StreamRoute.V1.call(e2e.gw(), "claude");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      accessLine = log.accessLines().getFirst();
      assertThat(accessLine).as("each continuation in the trail")
          .contains("stream_resumed claude#1 net").contains("stream_resumed claude#2 net");
    }
    assertThat(accessLine).as("the attempts numbered on").contains("attempt claude#1 200", "attempt claude#2 200",
        "attempt claude#3 200").contains("\"retries\":2,");
    assertThat(metric(e2e, "reliapi_llm_stream_resumes_total", "target", "claude", "class", "net") - resumes)
        .isEqualTo(2);
    assertThat(metric(e2e, "reliapi_retries_total", "target", "claude", "class", "net") - retries)
        .as("each a retry of the request").isEqualTo(2);

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Un deux trois");
    assertThat(lastMessage(e2e, before, 2).path("content").asText()).isEqualTo("Un deux");
    assertThat(tokens(accessLine, "reserved")).as("each call reserved: %s", accessLine).hasSize(3);
    assertThat(tokens(accessLine, "settled")).as("each call settled once, the one cut again too: %s", accessLine)
        .hasSize(3);
  }

  @Test
  void aContinuationWithoutReportedUsageIsChargedForThePrefixItWasGivenToo() {
    // Neither call reports usage: the gateway counts each call's prompt, the continuation's with its prefix.
    List<String> unreported = withoutUsage(
        LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bonjour", " le monde"), 14, 3));
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(unreported, 1));
    long prompt = doneUsage(StreamRoute.PROXY_LLM.call(e2e.gw(), "mistral")).path("prompt_tokens").asLong();
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sseThenReset(unreported.subList(0, 2), 1),
        LlmBehaviors.sse(withoutUsage(LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of(" le monde"),
            14, 3)), 1));

    Streamed answer = StreamRoute.PROXY_LLM.call(e2e.gw(), "mistral");

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Bonjour le monde");
    assertThat(doneUsage(answer).path("prompt_tokens").asLong()).as("the prompt twice, and the prefix 'Bonjour'")
        .isGreaterThan(2 * prompt);
  }

  static List<String> withoutUsage(List<String> events) {
    return events.stream().map(e -> e.replaceAll(",\"usage\":\\{[^}]*}", "")).toList();
  }

  static JsonNode doneUsage(Streamed answer) {
    return answer.events().stream().filter(e -> "done".equals(e.name())).findFirst().orElseThrow().json()
        .path("usage");
  }

  /** The tokens of each {@code step} of the LLM token limit in {@code accessLine}, in order. */
  static List<Long> tokens(String accessLine, String step) {
    return Pattern.compile("llm_limit " + step + " (\\d+) tokens").matcher(accessLine).results()
        .map(m -> Long.parseLong(m.group(1))).toList();
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
}
