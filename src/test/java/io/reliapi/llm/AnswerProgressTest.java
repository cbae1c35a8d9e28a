package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What moves an answer on for the idle limit after the first token (docs/streaming.md, "Timeouts"). */
class AnswerProgressTest {
  private static ChatChunk chunk(ChatChunk.Part... parts) {
    return new ChatChunk("id", "m", 0, List.of(parts), null, false, false, null);
  }

  @Test
  void aChunkSaysSomethingWhenItAddsToTheAnswer() {
    assertThat(AnswerProgress.says(chunk(new ChatChunk.Text("Hel")))).isTrue();
    assertThat(AnswerProgress.says(chunk(new ChatChunk.ToolArgs(0, "{")))).isTrue();
    assertThat(AnswerProgress.says(chunk(new ChatChunk.Finish("stop")))).isTrue();
    assertThat(AnswerProgress.says(chunk(new ChatChunk.Reasoning("", "sig", false)))).as("a signature").isTrue();
    assertThat(AnswerProgress.says(new ChatChunk("id", "m", 0, List.of(), new Usage(1, 2, false), true, false, null)))
        .as("usage").isTrue();
  }

  @Test
  void anEmptyChunkABareStartOrEmptyTextSaysNothing() {
    assertThat(AnswerProgress.says(chunk())).isFalse();
    assertThat(AnswerProgress.says(chunk(new ChatChunk.Start(), new ChatChunk.Text("")))).isFalse();
    assertThat(AnswerProgress.says(chunk(new ChatChunk.Reasoning("")))).isFalse();
  }
}
