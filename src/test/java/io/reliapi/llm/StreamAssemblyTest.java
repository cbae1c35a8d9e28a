package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.Json;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.HandStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A stream adds up to the completion it amounts to, through the real OpenAI decoder and {@link ChatStream}; a
 * completion that would not replay the same answer, or is too large, is not kept.
 */
class StreamAssemblyTest {
  private static final String USAGE = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n";

  private static String chunk(String choice) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[" + choice + "]}\n\n";
  }

  private static String delta(String delta) {
    return chunk("{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}");
  }

  private static String finish(String reason) {
    return chunk("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}");
  }

  /** Streams {@code events} then {@code [DONE]} and returns what the stream amounted to within {@code max}. */
  private static StreamRecording recorded(long max, String... events) {
    return recorded(max, HeldBytes.untracked(), events);
  }

  /** As {@link #recorded(long, String...)}, what the stream holds taken from {@code held}. */
  private static StreamRecording recorded(long max, HeldBytes held, String... events) {
    return recorded(max, held, null, events);
  }

  /** As {@link #recorded(long, HeldBytes, String...)}, for a client that asked in {@code asked} (null: chat). */
  private static StreamRecording recorded(long max, HeldBytes held, WireProtocol asked, String... events) {
    HandStream source = new HandStream();
    ChatStream stream = new ChatStream(source, () -> { }, new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    stream.bufferedIn(held);
    if (asked != null) {
      stream.askedIn(asked);
    }
    stream.start();
    stream.handler(chunk -> { });
    var recording = stream.record(max);
    for (String event : events) {
      source.emit(event);
    }
    source.emit("data: [DONE]\n\n");
    assertThat(recording.isComplete()).isTrue();
    return recording.result();
  }

  private static JsonNode kept(StreamRecording recording) {
    assertThat(recording).isInstanceOf(StreamRecording.Kept.class);
    return Json.parseOrNull(((StreamRecording.Kept) recording).json().getBytes());
  }

  @Test
  void addsTheTextUpToTheCompletionWithTheEndsFinishReasonAndUsage() {
    JsonNode out = kept(recorded(1 << 20, delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"),
        delta("{\"content\":\"Hel\"}"), delta("{\"content\":\"lo\"}"), finish("stop"), USAGE));

    assertThat(out.get("object").asText()).isEqualTo("chat.completion");
    assertThat(out.get("id").asText()).isEqualTo("chatcmpl-1");
    assertThat(out.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(out.get("created").asLong()).isEqualTo(1700000000L);
    JsonNode choice = out.get("choices").get(0);
    assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
    assertThat(choice.get("message").get("content").asText()).isEqualTo("Hello");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(out.get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(ChatCompletion.read(out).content()).isEqualTo("Hello");
  }

  @Test
  void joinsEachToolCallsArgumentsByIndexAndLeavesTheContentNull() {
    JsonNode out = kept(recorded(1 << 20,
        delta("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
            + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"time\","
            + "\"arguments\":\"{}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"),
        finish("tool_calls")));

    JsonNode message = out.get("choices").get(0).get("message");
    assertThat(message.get("content").isNull()).isTrue();
    JsonNode calls = message.get("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).get("id").asText()).isEqualTo("call_a");
    assertThat(calls.get(0).get("type").asText()).isEqualTo("function");
    assertThat(calls.get(0).get("function").get("name").asText()).isEqualTo("weather");
    assertThat(calls.get(0).get("function").get("arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(calls.get(1).get("id").asText()).isEqualTo("call_b");
    assertThat(calls.get(1).get("function").get("arguments").asText()).isEqualTo("{}");
    assertThat(out.get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void aSecondChoiceIsNotKept() {
    assertThat(recorded(1 << 20, chunk("{\"index\":1,\"delta\":{\"content\":\"other\"},\"finish_reason\":null}"),
        finish("stop"))).isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void logprobsAreNotKept() {
    assertThat(recorded(1 << 20, chunk("{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":{\"content\":[]}}"),
        finish("stop"))).isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void reasoningTextIsNotKept() {
    assertThat(recorded(1 << 20, delta("{\"reasoning_content\":\"First, ...\"}"), finish("stop")))
        .isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void reasoningTextIsKeptForAClientNeverShownIt() {
    String reasoning = delta("{\"reasoning_content\":\"First, ...\"}");
    String text = delta("{\"content\":\"Hi\"}");
    var responses = recorded(1 << 20, HeldBytes.untracked(), WireProtocol.OPENAI_RESPONSES, reasoning, text,
        finish("stop"));
    var messages = recorded(1 << 20, HeldBytes.untracked(), WireProtocol.ANTHROPIC_MESSAGES, reasoning, text,
        finish("stop"));

    assertThat(kept(responses).get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hi");
    assertThat(messages).isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void aRefusalIsKeptWithItsWordsInPlaceOfContent() {
    JsonNode message = kept(recorded(1 << 20, delta("{\"refusal\":\"I can't\"}"), delta("{\"refusal\":\" help.\"}"),
        finish("stop"))).path("choices").path(0).path("message");
    assertThat(message.path("refusal").asText()).isEqualTo("I can't help.");
    assertThat(message.path("content").isNull()).isTrue();
  }

  @Test
  void anAnswerLargerThanTheLimitIsNotKept() {
    String big = delta("{\"content\":\"" + "x".repeat(200) + "\"}");
    assertThat(recorded(300, big, finish("stop"))).as("the completion around the text passes the limit")
        .isInstanceOf(StreamRecording.NotKept.class);
    assertThat(recorded(1000, big, finish("stop"))).isInstanceOf(StreamRecording.Kept.class);
  }

  @Test
  void anAnswerTheMemoryBudgetCannotHoldIsNotKeptAndHoldsNoMore() {
    ByteBudget budget = new ByteBudget(1000);
    HeldBytes held = new HeldBytes(budget);
    String text = delta("{\"content\":\"" + "x".repeat(600) + "\"}");
    assertThat(recorded(1 << 20, held, text, text, finish("stop"), USAGE))
        .isInstanceOf(StreamRecording.NotKept.class);
    held.release();
    assertThat(budget.inUse()).isZero();
    HeldBytes roomy = new HeldBytes(new ByteBudget(10_000));
    assertThat(recorded(1 << 20, roomy, text, text, finish("stop"), USAGE)).isInstanceOf(StreamRecording.Kept.class);
  }

  @Test
  void textBeyondLatin1CountsTwoBytesACharacterAsJavaHoldsIt() {
    // 600 characters in small events, so that little else is held beside them: 1200 bytes as Java holds them.
    String[] events = new String[32];
    Arrays.fill(events, delta("{\"content\":\"" + "日".repeat(20) + "\"}"));
    events[30] = finish("stop");
    events[31] = USAGE;
    assertThat(recorded(1 << 20, new HeldBytes(new ByteBudget(1100)), events)).as("1200 bytes, not 600")
        .isInstanceOf(StreamRecording.NotKept.class);
    assertThat(recorded(1 << 20, new HeldBytes(new ByteBudget(1700)), events))
        .isInstanceOf(StreamRecording.Kept.class);
  }

  @Test
  void aBrokenStreamIsBroken() {
    HandStream source = new HandStream();
    ChatStream stream = new ChatStream(source, () -> { }, new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    stream.start();
    stream.handler(chunk -> { });
    var recording = stream.record(1 << 20);
    source.emit(delta("{\"content\":\"Hel\"}"));
    source.fail();
    assertThat(recording.result()).isInstanceOf(StreamRecording.Broken.class);
  }
}
