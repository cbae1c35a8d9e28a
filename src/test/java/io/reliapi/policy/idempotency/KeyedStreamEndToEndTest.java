package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.ChunkStream;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streamed LLM answers under an idempotency key (issue 11 item 4), against the real gateway over real sockets:
 * a completed stream is kept and replayed as a stream, duplicates in flight wait for it, and a stream that
 * broke leaves the key's outcome unknown. Retries are off, so every upstream call counted is one execution.
 */
class KeyedStreamEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String OPENAI_ONE_ATTEMPT =
      TestYaml.ONE_ATTEMPT + "llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}\n";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    int closedPort = FreePort.refused();
    return GatewayHarness.yaml("targets:\n"
        + ("openai:\n  base_url: \"" + up.baseUrl() + "/v1\"\n" + OPENAI_ONE_ATTEMPT.indent(2)).indent(2)
        + ("forwarding:\n  base_url: \"" + up.baseUrl() + "/v1\"\n  idempotency: {forward_header: Idempotency-Key}\n"
            + OPENAI_ONE_ATTEMPT.indent(2)).indent(2)
        + ("gone:\n  base_url: \"http://127.0.0.1:" + closedPort + "/v1\"\n" + OPENAI_ONE_ATTEMPT.indent(2)).indent(2));
  });

  static String v1(String target, boolean usage) {
    return "{\"model\": \"" + target + "/gpt-4o-mini\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"Hi\"}]" + (usage ? ", \"stream_options\": {\"include_usage\": true}" : "") + "}";
  }

  static String proxy(String target) {
    return "{\"target\": \"" + target + "\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
  }

  static Res post(String path, String body, String key) {
    return e2e.gw().http.post(path, body, "Idempotency-Key", key);
  }

  static void streams(String... pieces) {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(pieces), 9, 2), 1));
  }

  @Test
  void aKeyedV1StreamSentTwiceIsReplayedAsTheSameStreamAfterOneUpstreamCall() {
    streams("Hel", "lo");
    Res first = post("/v1/chat/completions", v1("openai", true), "v1-twice");
    Res replay = post("/v1/chat/completions", v1("openai", true), "v1-twice");

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.header("Content-Type")).startsWith("text/event-stream");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    ChunkStream live = ChunkStream.of(first.body());
    ChunkStream replayed = ChunkStream.of(replay.body());
    assertThat(replayed.text()).isEqualTo(live.text()).isEqualTo("Hello");
    assertThat(replayed.finishReason()).isEqualTo(live.finishReason()).isEqualTo("stop");
    assertThat(replayed.usage()).isEqualTo(live.usage());
    assertThat(replayed.usage().get("total_tokens").asInt()).isEqualTo(11);
    assertThat(replayed.done()).isTrue();
    assertThat(SseEvents.parse(replay.body()).getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void aKeyedStreamHeldUntilCompleteIsRecordedAndReplayed() {
    streams("Hel", "lo");
    Res first = e2e.gw().http.post("/v1/chat/completions", v1("openai", true), "Idempotency-Key", "held-twice",
        "X-ReliAPI-Stream-Commit", "complete");
    Res replay = e2e.gw().http.post("/v1/chat/completions", v1("openai", true), "Idempotency-Key", "held-twice",
        "X-ReliAPI-Stream-Commit", "complete");

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    ChunkStream replayed = ChunkStream.of(replay.body());
    assertThat(replayed.text()).isEqualTo(ChunkStream.of(first.body()).text()).isEqualTo("Hello");
    assertThat(replayed.usage()).isEqualTo(ChunkStream.of(first.body()).usage());
    assertThat(replayed.done()).isTrue();
  }

  @Test
  void aReplayCarriesTheUsageChunkOnlyWhenTheReplayingClientAsksForIt() {
    streams("Hel", "lo");
    Res first = post("/v1/chat/completions", v1("openai", false), "v1-usage");
    Res withUsage = post("/v1/chat/completions", v1("openai", true), "v1-usage");
    Res without = post("/v1/chat/completions", v1("openai", false), "v1-usage");

    assertThat(ChunkStream.of(first.body()).usage()).isNull();
    assertThat(withUsage.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(ChunkStream.of(withUsage.body()).usage().get("prompt_tokens").asInt()).isEqualTo(9);
    assertThat(ChunkStream.of(without.body()).usage()).isNull();
    assertThat(ChunkStream.of(without.body()).text()).isEqualTo("Hello");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aKeyedProxyLlmStreamIsReplayedWithIdempotentHitInMetaAndNoCost() {
    streams("Hel", "lo");
    List<Event> live = SseEvents.parse(post("/proxy/llm", proxy("openai"), "proxy-twice").body());
    Res replay = post("/proxy/llm", proxy("openai"), "proxy-twice");
    List<Event> events = SseEvents.parse(replay.body());

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(SseEvents.names(live)).containsExactly("meta", "chunk", "chunk", "done");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(SseEvents.names(events)).containsExactly("meta", "chunk", "done");
    JsonNode meta = events.getFirst().json();
    assertThat(meta.get("idempotent_hit").asBoolean()).isTrue();
    assertThat(meta.get("cost_usd").decimalValue()).isZero();
    assertThat(events.get(1).json().get("delta").asText()).isEqualTo("Hello");
    JsonNode done = events.getLast().json();
    assertThat(done.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(done.get("usage")).isEqualTo(live.getLast().json().get("usage"));
    assertThat(done.get("cost_usd").decimalValue()).isZero();
  }

  @Test
  void tenConcurrentKeyedDuplicatesMakeOneUpstreamCallAndAllGetTheStream() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo", "!"), 9, 3), 40));
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(e2e.gw().http.postAsync("/v1/chat/completions", v1("openai", true), "Idempotency-Key", "v1-ten"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      ChunkStream stream = ChunkStream.of(r.body());
      assertThat(stream.text()).isEqualTo("Hello!");
      assertThat(stream.finishReason()).isEqualTo("stop");
      assertThat(stream.usage().get("completion_tokens").asInt()).isEqualTo(3);
      assertThat(stream.done()).isTrue();
    });
    assertThat(answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count()).isEqualTo(9);
  }

  @Test
  void aToolCallStreamIsReplayedWithItsToolCalls() {
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-4o-mini", "call_Xy12", "get_weather",
        List.of("{\\\"city\\\":", "\\\"Paris\\\"}"), 40, 12), 1));
    ChunkStream live = ChunkStream.of(post("/v1/chat/completions", v1("openai", true), "v1-tools").body());
    Res replay = post("/v1/chat/completions", v1("openai", true), "v1-tools");
    ChunkStream replayed = ChunkStream.of(replay.body());

    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(live.toolCalls()).singleElement()
        .isEqualTo(new ChunkStream.ToolCall("call_Xy12", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(replayed.toolCalls()).isEqualTo(live.toolCalls());
    assertThat(replayed.finishReason()).isEqualTo("tool_calls");
    assertThat(replayed.text()).isEmpty();
    assertThat(replayed.usage().get("completion_tokens").asInt()).isEqualTo(12);
    assertThat(replayed.done()).isTrue();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aKeyedStreamReplaysAsAWholeAnswerToARequestWithoutStream() {
    streams("Hel", "lo");
    post("/v1/chat/completions", v1("openai", false), "v1-then-whole");
    Res whole = post("/v1/chat/completions", v1("openai", false).replace("\"stream\": true", "\"stream\": false"),
        "v1-then-whole");

    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Idempotent-Replayed")).isEqualTo("true");
    JsonNode completion = whole.json();
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello");
    assertThat(completion.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(completion.get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aKeyedStreamThatBrokeLeavesTheOutcomeUnknownOnBothRoutes() {
    List<String> firstTwo = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2).subList(0, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(firstTwo, 5), LlmBehaviors.sseThenReset(firstTwo, 5));
    List<Event> broken = SseEvents.parse(post("/proxy/llm", proxy("openai"), "proxy-broken").body());
    Res later = post("/proxy/llm", proxy("openai"), "proxy-broken");
    assertThat(SseEvents.names(broken)).containsExactly("meta", "chunk", "error");
    assertThat(later.status()).isEqualTo(504);
    assertThat(later.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");

    RawHttp.Response cut = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", v1("openai", false), "Idempotency-Key", "v1-broken");
    assertThat(cut.complete()).isFalse();
    Res v1Later = post("/v1/chat/completions", v1("openai", false), "v1-broken");
    assertThat(v1Later.status()).isEqualTo(504);
    assertThat(v1Later.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void aKeyedStreamThatBrokeReleasesTheKeyWhenTheTargetGetsItForwarded() {
    List<String> firstTwo = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2).subList(0, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(firstTwo, 5));
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1));
    List<Event> broken = SseEvents.parse(post("/proxy/llm", proxy("forwarding"), "fwd-broken").body());
    List<Event> again = SseEvents.parse(post("/proxy/llm", proxy("forwarding"), "fwd-broken").body());

    assertThat(SseEvents.names(broken)).containsExactly("meta", "chunk", "error");
    assertThat(SseEvents.names(again)).containsExactly("meta", "chunk", "chunk", "done");
    assertThat(again.getFirst().json().get("idempotent_hit").asBoolean()).isFalse();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
    assertThat(e2e.up().requests()).allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("fwd-broken"));
  }

  @Test
  void aKeyedStreamThatFailedBeforeAnythingWasSentReleasesTheKey() {
    for (int i = 0; i < 2; i++) {
      Res refused = post("/proxy/llm", proxy("gone"), "gone-stream");
      assertThat(refused.status()).isEqualTo(502);
      assertThat(refused.json().get("error").get("code").asText()).isEqualTo("NETWORK_ERROR");
    }
  }

  @Test
  void aStreamTooLargeToKeepIsServedWholeAndRepeatsAreTold409() {
    String big = "abcdefghij".repeat(100);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pieces.add(big);
    }
    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", pieces, 9, 2), 1));
    String openai = "openai:\n  base_url: \"" + e2e.up().baseUrl() + "/v1\"\n" + OPENAI_ONE_ATTEMPT.indent(2);
    try (GatewayHarness small = GatewayHarness.yaml("server: {max_response_bytes: 4096}\ntargets:\n"
        + openai.indent(2)).start()) {
      Res first = small.http.post("/v1/chat/completions", v1("openai", false), "Idempotency-Key", "big");
      Res repeat = small.http.post("/v1/chat/completions", v1("openai", false), "Idempotency-Key", "big");

      assertThat(ChunkStream.of(first.body()).text()).hasSize(12_000);
      assertThat(ChunkStream.of(first.body()).done()).isTrue();
      assertThat(repeat.status()).isEqualTo(409);
      assertThat(repeat.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_RESPONSE_NOT_STORED");
      assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    }
  }
}
