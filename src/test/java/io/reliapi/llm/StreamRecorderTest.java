package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import org.junit.jupiter.api.Test;

class StreamRecorderTest {
  private static final StreamEnd STOP = new StreamEnd("stop", Usage.reported(9, 2), 0.001);

  private static ChatChunk chunk(String choice) {
    String json = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[" + choice + "]}";
    return new ChatChunk(json, "", null, false);
  }

  private static ChatChunk delta(String delta) {
    return chunk("{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}");
  }

  private static StreamRecorder recorder(ChatChunk... chunks) {
    StreamRecorder recorder = new StreamRecorder(1 << 20);
    for (ChatChunk c : chunks) {
      recorder.add(c);
    }
    return recorder;
  }

  private static JsonNode completion(StreamRecording recording) {
    assertThat(recording).isInstanceOf(StreamRecording.Kept.class);
    return Json.parseOrNull(((StreamRecording.Kept) recording).completion().canonical().getBytes());
  }

  @Test
  void addsTheTextUpToTheCompletionWithTheEndsFinishReasonAndUsage() {
    JsonNode out = completion(recorder(
        delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"),
        delta("{\"content\":\"Hel\"}"),
        delta("{\"content\":\"lo\"}"),
        chunk("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}"),
        new ChatChunk("{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}",
            "", null, true)).completed(STOP));

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
    JsonNode out = completion(recorder(
        delta("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
            + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"time\","
            + "\"arguments\":\"{}\"}}]}"),
        delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"))
        .completed(new StreamEnd("tool_calls", Usage.reported(40, 12), null)));

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
    assertThat(recorder(chunk("{\"index\":1,\"delta\":{\"content\":\"other\"},\"finish_reason\":null}"))
        .completed(STOP)).isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void logprobsAreNotKept() {
    assertThat(recorder(chunk("{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":{\"content\":[]}}"))
        .completed(STOP)).isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void aRefusalOrReasoningTextIsNotKept() {
    assertThat(recorder(delta("{\"refusal\":\"I can't help with that.\"}")).completed(STOP))
        .isInstanceOf(StreamRecording.NotKept.class);
    assertThat(recorder(delta("{\"reasoning_content\":\"First, ...\"}")).completed(STOP))
        .isInstanceOf(StreamRecording.NotKept.class);
  }

  @Test
  void anAnswerLargerThanTheLimitIsNotKept() {
    StreamRecorder small = new StreamRecorder(300);
    small.add(delta("{\"content\":\"" + "x".repeat(200) + "\"}"));
    assertThat(small.completed(STOP)).as("the completion around the text passes the limit")
        .isInstanceOf(StreamRecording.NotKept.class);
    StreamRecorder roomy = new StreamRecorder(1000);
    roomy.add(delta("{\"content\":\"" + "x".repeat(200) + "\"}"));
    assertThat(roomy.completed(STOP)).isInstanceOf(StreamRecording.Kept.class);
  }

  @Test
  void aRecordingThatMissedChunksIsNotKept() {
    StreamRecorder late = recorder(delta("{\"content\":\"lo\"}"));
    late.missedSome();
    assertThat(late.completed(STOP)).isInstanceOf(StreamRecording.NotKept.class);
  }
}
