package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.ChunkStream;
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
 * Streamed LLM answers in the response cache (issue 13 item 6), against the real gateway over real sockets: a
 * completed stream is kept and replayed as a stream on both LLM routes, a broken or partial one never is, and
 * identical misses in flight make one upstream call. Each test asks its own question, so entries never meet.
 */
class CachedStreamEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          circuit: {enabled: false}
          cache: {ttl_s: 300}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        claude:
          base_url: "%1$s/v1"
          cache: {ttl_s: 300}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  static String v1(String question, boolean stream, boolean usage) {
    return "{\"model\": \"openai/gpt-4o-mini\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", "
        + "\"content\": \"" + question + "\"}]" + (usage ? ", \"stream_options\": {\"include_usage\": true}" : "") + "}";
  }

  static String proxy(String question) {
    return "{\"target\": \"openai\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"" + question
        + "\"}]}";
  }

  static Behavior stream(long gapMs, String... pieces) {
    return LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(pieces), 9, 2), gapMs);
  }

  @Test
  void aCompletedStreamIsCachedAndReplayedAsAStreamOnV1() {
    e2e.up().script(CHAT, stream(1, "Hel", "lo"));
    Res first = e2e.gw().http.post("/v1/chat/completions", v1("v1 hit", true, true));
    Res hit = e2e.gw().http.post("/v1/chat/completions", v1("v1 hit", true, true));

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("Content-Type")).startsWith("text/event-stream");
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(hit.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    ChunkStream live = ChunkStream.of(first.body());
    ChunkStream replayed = ChunkStream.of(hit.body());
    assertThat(replayed.text()).isEqualTo(live.text()).isEqualTo("Hello");
    assertThat(replayed.finishReason()).isEqualTo("stop");
    assertThat(replayed.usage()).isEqualTo(live.usage());
    assertThat(SseEvents.parse(hit.body()).getLast().data()).isEqualTo("[DONE]");
  }

  @Test
  void aStreamHeldUntilCompleteIsCachedAndReplayedAsAStream() {
    e2e.up().script(CHAT, stream(1, "Hel", "lo"));
    Res first = e2e.gw().http.post("/v1/chat/completions", v1("held hit", true, true), "X-ReliAPI-Stream-Commit", "complete");
    Res hit = e2e.gw().http.post("/v1/chat/completions", v1("held hit", true, true), "X-ReliAPI-Stream-Commit", "complete");
    Res proxyHit = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"stream\": true, \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"held hit\"}]}");

    assertThat(ChunkStream.of(first.body()).text()).isEqualTo("Hello");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    ChunkStream replayed = ChunkStream.of(hit.body());
    assertThat(replayed.text()).isEqualTo("Hello");
    assertThat(replayed.done()).isTrue();
    assertThat(replayed.usage()).isEqualTo(ChunkStream.of(first.body()).usage());
    assertThat(proxyHit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(SseEvents.names(SseEvents.parse(proxyHit.body()))).containsExactly("meta", "chunk", "done");
  }

  @Test
  void aCompletedStreamIsCachedAndReplayedAsEventsOnProxyLlm() {
    e2e.up().script(CHAT, stream(1, "Hel", "lo"));
    List<Event> live = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("proxy hit")).body());
    Res hit = e2e.gw().http.post("/proxy/llm", proxy("proxy hit"));
    List<Event> events = SseEvents.parse(hit.body());

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(hit.header("X-ReliAPI-Cost-USD")).isEqualTo("0");
    assertThat(SseEvents.names(events)).containsExactly("meta", "chunk", "done");
    assertThat(events.getFirst().json().get("cache_hit").asBoolean()).isTrue();
    assertThat(events.getFirst().json().get("cost_usd").decimalValue()).isZero();
    assertThat(events.get(1).json().get("delta").asText()).isEqualTo("Hello");
    JsonNode done = events.getLast().json();
    assertThat(done.get("usage")).isEqualTo(live.getLast().json().get("usage"));
    assertThat(done.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(done.get("cost_usd").decimalValue()).isZero();
  }

  @Test
  void anAnthropicStreamIsCachedAsItsTranslationAndReplayedOnV1() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15), 1));
    String body = "{\"model\": \"claude/claude-haiku-4-5\", \"stream\": true, \"stream_options\": "
        + "{\"include_usage\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"Salut\"}]}";
    ChunkStream live = ChunkStream.of(e2e.gw().http.post("/v1/chat/completions", body).body());
    Res hit = e2e.gw().http.post("/v1/chat/completions", body);
    ChunkStream replayed = ChunkStream.of(hit.body());

    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(replayed.text()).isEqualTo(live.text()).isEqualTo("Bonjour");
    assertThat(replayed.finishReason()).isEqualTo("stop");
    assertThat(replayed.usage()).isEqualTo(live.usage());
    assertThat(replayed.usage().get("completion_tokens").asInt()).isEqualTo(15);
    assertThat(replayed.done()).isTrue();
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(1);
  }

  @Test
  void aStreamThatBrokeOrEndedBeforeItsFinishReasonIsNeverCached() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(events.subList(0, 2), 1),
        LlmBehaviors.sse(events.subList(0, 3), 1), stream(1, "Hel", "lo"));
    List<Event> broken = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("broken")).body());
    List<Event> partial = SseEvents.parse(e2e.gw().http.post("/proxy/llm", proxy("broken")).body());
    Res whole = e2e.gw().http.post("/proxy/llm", proxy("broken"));

    assertThat(SseEvents.names(broken)).containsExactly("meta", "chunk", "error");
    assertThat(SseEvents.names(partial)).containsExactly("meta", "chunk", "chunk", "error");
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(SseEvents.names(SseEvents.parse(whole.body()))).containsExactly("meta", "chunk", "chunk", "done");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(3);
  }

  @Test
  void aStreamCutOnV1IsNotCached() {
    List<String> events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2);
    e2e.up().script(CHAT, LlmBehaviors.sseThenReset(events.subList(0, 3), 1), stream(1, "Hel", "lo"));
    RawHttp.Response cut = RawHttp.post(e2e.gw().port(), "/v1/chat/completions", v1("cut", true, false));
    Res next = e2e.gw().http.post("/v1/chat/completions", v1("cut", true, false));

    assertThat(cut.complete()).isFalse();
    assertThat(next.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(ChunkStream.of(next.body()).done()).isTrue();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void concurrentIdenticalStreamMissesMakeOneUpstreamCallAndAllGetTheWholeStream() {
    e2e.up().script(CHAT, stream(40, "Hel", "lo", "!"));
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(e2e.gw().http.postAsync("/v1/chat/completions", v1("together", true, false)));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      ChunkStream stream = ChunkStream.of(r.body());
      assertThat(stream.text()).isEqualTo("Hello!");
      assertThat(stream.finishReason()).isEqualTo("stop");
      assertThat(stream.done()).isTrue();
    });
    assertThat(answers.stream().filter(r -> "true".equals(r.header("X-Cache-Hit"))).count()).isEqualTo(9);
  }

  @Test
  void aStreamedAndAWholeRequestForTheSameCompletionShareOneEntry() {
    e2e.up().script(CHAT, stream(1, "Hel", "lo"));
    e2e.gw().http.post("/v1/chat/completions", v1("stream first", true, false));
    Res whole = e2e.gw().http.post("/v1/chat/completions", v1("stream first", false, false));
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(whole.json().get("object").asText()).isEqualTo("chat.completion");
    assertThat(whole.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello");
    assertThat(whole.json().get("usage").get("total_tokens").asInt()).isEqualTo(11);

    e2e.up().script(CHAT, LlmBehaviors.openAi("gpt-4o-mini", "Whole answer", 9, 2));
    e2e.gw().http.post("/v1/chat/completions", v1("whole first", false, false));
    Res streamed = e2e.gw().http.post("/v1/chat/completions", v1("whole first", true, true));
    assertThat(streamed.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(streamed.header("Content-Type")).startsWith("text/event-stream");
    assertThat(ChunkStream.of(streamed.body()).text()).isEqualTo("Whole answer");
    assertThat(ChunkStream.of(streamed.body()).usage().get("total_tokens").asInt()).isEqualTo(11);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void aStreamWhoseLogprobsAStoredCompletionCannotReplayIsNotCached() {
    String withLogprobs = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"logprobs\":{\"content\":"
        + "[{\"token\":\"Hi\",\"logprob\":-0.1,\"bytes\":[72,105],\"top_logprobs\":[]}]},\"finish_reason\":null}]}\n\n";
    List<String> events = new ArrayList<>(List.of(withLogprobs));
    List<String> usual = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(), 9, 1);
    events.addAll(usual.subList(usual.size() - 3, usual.size()));
    e2e.up().script(CHAT, LlmBehaviors.sse(events, 1), LlmBehaviors.sse(events, 1));
    String body = v1("logprobs", true, false).replace("\"stream\": true", "\"stream\": true, \"logprobs\": true");
    Res first = e2e.gw().http.post("/v1/chat/completions", body);
    Res second = e2e.gw().http.post("/v1/chat/completions", body);

    assertThat(ChunkStream.of(first.body()).text()).isEqualTo("Hi");
    assertThat(second.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(second.body()).contains("\"logprob\":-0.1");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void aClientThatAsksNotToStoreGetsItsStreamUnkept() {
    e2e.up().script(CHAT, stream(1, "Hel", "lo"), stream(1, "Hel", "lo"));
    e2e.gw().http.post("/v1/chat/completions", v1("no-store", true, false), "Cache-Control", "no-store");
    Res next = e2e.gw().http.post("/v1/chat/completions", v1("no-store", true, false));

    assertThat(next.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
    assertThat(ChunkStream.of(next.body()).text()).isEqualTo("Hello");
  }
}
