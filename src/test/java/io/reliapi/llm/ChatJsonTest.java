package io.reliapi.llm;

import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatJsonTest {
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\", \"name\": \"ann\"}]";

  @Test
  void givesEqualRequestsEqualBytesWhateverTheKeyOrder() {
    var a = request("gpt-4o", HI, 100, false, "{\"a\": 1, \"b\": {\"y\": 2, \"x\": 1}}", "{}");
    var b = request("gpt-4o", "[{\"name\": \"ann\", \"content\": \"Hi\", \"role\": \"user\"}]", 100, false,
        "{\"b\": {\"x\": 1, \"y\": 2}, \"a\": 1}", "{}");
    assertThat(ChatJson.canonical(a)).isEqualTo(ChatJson.canonical(b));
  }

  @Test
  void leavesOutHowTheAnswerTravels() {
    var plain = request("gpt-4o", HI, 100, false, "{}", "{}");
    var streamed = request("gpt-4o", HI, 100, true, "{\"stream_options\": {\"include_usage\": true}}", "{}");
    assertThat(ChatJson.canonical(plain)).isEqualTo(ChatJson.canonical(streamed));
  }

  @Test
  void changesWithEveryFieldThatChangesTheAnswer() {
    var base = ChatJson.canonical(request("gpt-4o", HI, 100, false, "{}", "{}"));
    assertThat(ChatJson.canonical(request("gpt-4o-mini", HI, 100, false, "{}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 101, false, "{}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 100, false, "{\"seed\": 1}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 100, false, "{}", "{\"top_k\": 3}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI.replace("Hi", "Hi!"), 100, false, "{}", "{}"))).isNotEqualTo(base);
  }

  @Test
  void keysABodyFromTheMessagesRouteOnItsWordsAndBetaHeaderButNotOnWhetherItStreams() {
    var whole = nativeOf("{\"model\": \"m\", \"messages\": [], \"top_k\": 3}", false, Map.of());
    var streamed = nativeOf("{\"top_k\": 3, \"stream\": true, \"messages\": [], \"model\": \"m\"}", false, Map.of());
    var beta = nativeOf("{\"model\": \"m\", \"messages\": [], \"top_k\": 3}", false, Map.of("anthropic-beta", "b"));
    var other = nativeOf("{\"model\": \"m\", \"messages\": [], \"top_k\": 4}", false, Map.of());
    assertThat(ChatJson.canonical(streamed)).isEqualTo(ChatJson.canonical(whole));
    assertThat(ChatJson.canonical(beta)).isNotEqualTo(ChatJson.canonical(whole));
    assertThat(ChatJson.canonical(other)).isNotEqualTo(ChatJson.canonical(whole));

    var raw = nativeOf("{\"model\": \"m\", \"messages\": [], \"top_k\": 3}", true, Map.of());
    var rawStreamed = nativeOf("{\"model\": \"m\", \"messages\": [], \"top_k\": 3, \"stream\": true}", true, Map.of());
    assertThat(ChatJson.canonical(rawStreamed)).as("a raw client reads another answer").isNotEqualTo(ChatJson.canonical(raw));
  }

  @Test
  void keepsReasoningThroughTheStoredCompletion() {
    var signed = new Completion("msg_1", "claude", "Yes.", Optional.empty(), "stop", Usage.reported(1, 2), null,
        List.of(new ChatChunk.Reasoning("Hmm.", "sig", false), new ChatChunk.Reasoning("opaque", null, true)));
    var stored = ChatCompletion.write(signed, 0);
    assertThat(stored.get("choices").get(0).get("message").get("reasoning_content").asText()).isEqualTo("Hmm.");
    assertThat(ChatCompletion.read(stored).reasoning()).isEqualTo(signed.reasoning());

    var plain = ChatCompletion.read(ChatFixtures.json("""
        {"id": "x", "model": "deepseek", "choices": [{"message": {"role": "assistant", "content": "A",
         "reasoning_content": "Think."}, "finish_reason": "stop"}]}"""));
    assertThat(plain.reasoning()).containsExactly(new ChatChunk.Reasoning("Think."));
    assertThat(ChatCompletion.write(plain, 0).get("choices").get(0).get("message").has("thinking_blocks")).isFalse();
  }

  private static ChatRequest nativeOf(String body, boolean raw, Map<String, String> headers) {
    var r = request("m", "[{\"role\": \"user\", \"content\": \"x\"}]", 100, false, "{}", "{}");
    var written = new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, (ObjectNode) ChatFixtures.json(body), raw, headers,
        Optional.empty());
    return new ChatRequest(r.requestedModel(), r.model(), r.messages(), r.requestedMaxTokens(), r.maxTokens(),
        r.temperature(), r.topP(), r.stop(), r.stream(), r.options(), r.extra(), r.estimate(), Optional.of(written));
  }
}
