package io.reliapi.policy.resume;

import static io.reliapi.policy.resume.ResumeGateway.MODEL;
import static io.reliapi.policy.resume.ResumeGateway.cutAfter;
import static io.reliapi.policy.resume.ResumeGateway.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PendingStream;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.StreamRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which broken streams are continued and how a continuation runs as an attempt of its own: a stall and an
 * overloaded event are continued, a tool call or a target without the key ends in the route's error as before;
 * the continuation takes the broken call's concurrency place, runs on a fallback target that answered, and a
 * client that hangs up during it leaves nothing held (docs/streaming.md, "Continuing a broken stream").
 */
class StreamResumeBoundsEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = ResumeGateway.create();

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
  void eachContinuationForwardsAKeyOfItsOwnDerivedFromTheClients() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Un")), 1),
        LlmBehaviors.sseThenReset(cutAfter(List.of(" deux")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" trois"), 30, 3), 1));
    int before = e2e.up().requests().size();
    String key = "forwarded-" + "k".repeat(240);

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "keyed", "Idempotency-Key", key);

    assertThat(answer.text()).as(answer.body()).isEqualTo("Un deux trois");
    List<String> forwarded = e2e.up().requests().subList(before, e2e.up().requests().size()).stream()
        .map(r -> r.header("Idempotency-Key")).toList();
    assertThat(forwarded).hasSize(3).doesNotHaveDuplicates();
    assertThat(forwarded.getFirst()).as("the client's key on its call").isEqualTo(key);
    assertThat(forwarded.subList(1, 3)).as("a key per continuation, within the 255 characters of a key")
        .allSatisfy(k -> assertThat(k).contains(".continue-" + forwarded.indexOf(k) + "-").hasSizeLessThanOrEqualTo(255));
  }

  @Test
  void aContinuationWhoseOwnEstimateIsOverTheHardCapIsNotSent() {
    // $1 a prompt token, output nearly free: the call fits the $12 cap, its prompt again with the prefix does not.
    e2e.up().script("POST /v1/messages",
        LlmBehaviors.sseThenReset(cutAfter(List.of("Bonjour", " le", " monde", " entier", " et", " ses", " amis")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of("!"), 30, 3), 1));
    int before = e2e.up().requests().size();
    double hardCaps = metric(e2e, "reliapi_budget_events_total", "target", "capped", "event", "hard_cap");

    Streamed answer;
    String accessLine;
    try (LogCapture log = LogCapture.capture()) {
      answer = StreamRoute.V1.call(e2e.gw(), "capped");
      await().atMost(Duration.ofSeconds(5)).until(() -> !log.accessLines().isEmpty());
      accessLine = log.accessLines().getFirst();
    }

    endedUncontinued(answer, before, "Bonjour le monde entier et ses amis");
    assertThat(accessLine).as("the operator sees why the stream was not continued")
        .contains("budget continuation_over_hard_cap");
    assertThat(metric(e2e, "reliapi_budget_events_total", "target", "capped", "event", "hard_cap") - hardCaps)
        .isEqualTo(1.0);
  }

  @Test
  void aStreamWithTooLittleTimeLeftIsNotContinued() {
    // stream_max_s 0.9: less than the second a continuation needs is left whenever the stream breaks.
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));
    int before = e2e.up().requests().size();

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "brief");

    endedUncontinued(answer, before, "Bonjour");
  }

  @Test
  void theStreamsTimeLimitStopsAContinuationStillWaitingForItsHeaders() throws Exception {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        Behavior.silence());
    int before = e2e.up().requests().size();

    // The continuation's attempt has the stream's own limit: both end together (Anthropic's route keeps the client's
    // connection open after the error event, so nothing else could stop it).
    try (PendingStream client = StreamRoute.ANTHROPIC.open(e2e.gw(), "timed")) {
      client.readUntil("event: error", 1);
      assertThat(e2e.up().requests().size() - before).isEqualTo(2);
      await("the continuation's call let go with the stream, not at its timeout_ms").atMost(Duration.ofSeconds(2))
          .until(() -> e2e.up().openConnections() == 0 && e2e.gw().gateway().inFlight() == 0);
    }
  }

  @Test
  void aContinuationDrawsFromTheRetryBudgetAndIsNotSentWhenItIsSpent() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(cutAfter(List.of("Bon", "jour")), 1),
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents(MODEL, List.of(" monde"), 30, 3), 1));
    int before = e2e.up().requests().size();
    double refused = metric(e2e, "reliapi_retry_budget_exhausted_total", "target", "spent");

    Streamed answer = StreamRoute.V1.call(e2e.gw(), "spent");

    endedUncontinued(answer, before, "Bonjour");
    assertThat(metric(e2e, "reliapi_retry_budget_exhausted_total", "target", "spent") - refused).isEqualTo(1);
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
    assertThat(metric(e2e, "reliapi_buffered_bytes")).as("bytes of the memory budget").isZero();
    assertThat(e2e.up().requests().size() - before).isEqualTo(2);
  }

  /** The client got {@code text} and then the route's error event; the provider was called once, never continued. */
  static void endedUncontinued(Streamed answer, int before, String text) {
    assertThat(answer.text()).isEqualTo(text);
    assertThat(answer.error()).as(answer.body()).isNotNull();
    assertThat(e2e.up().requests().size() - before).as("never continued").isEqualTo(1);
  }
}
