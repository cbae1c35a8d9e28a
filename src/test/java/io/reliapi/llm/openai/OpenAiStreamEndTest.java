package io.reliapi.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.StreamDecoder;
import org.junit.jupiter.api.Test;

/** A [DONE] without a finish reason (servers that leave it out) ends the answer as its parts say. */
class OpenAiStreamEndTest {
  private static final String TEXT = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}";
  private static final String CALL = "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\","
      + "\"type\":\"function\",\"function\":{\"name\":\"get\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}";
  private static final String ROLE = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}";

  @Test
  void toolCallsWithoutAFinishEndAsToolCalls() {
    assertThat(finishAfter(ROLE, CALL)).isEqualTo("tool_calls");
  }

  @Test
  void textWithoutAFinishEndsAsStop() {
    assertThat(finishAfter(ROLE, TEXT)).isEqualTo("stop");
  }

  @Test
  void nothingStreamedKeepsNoFinishSoTheEmptyAnswerIsSeen() {
    assertThat(finishAfter(ROLE)).isNull();
  }

  @Test
  void aFinishTheServerGaveIsKept() {
    assertThat(finishAfter(CALL, TEXT.replace("\"finish_reason\":null", "\"finish_reason\":\"length\""))).isEqualTo("length");
  }

  private static String finishAfter(String... events) {
    StreamDecoder decoder = new OpenAiProvider().decoder(0);
    StreamDecoder.Sink sink = new StreamDecoder.Sink() {
      @Override
      public void chunk(ChatChunk chunk) {}

      @Override
      public void complete() {}

      @Override
      public void providerError(int status, String body) {}
    };
    for (String event : events) {
      decoder.decode(new SseEvent(null, event), sink);
    }
    decoder.decode(new SseEvent(null, "[DONE]"), sink);
    return decoder.finishReason();
  }
}
