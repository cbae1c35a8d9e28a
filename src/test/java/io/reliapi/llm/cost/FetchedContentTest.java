package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.ToolFeesTest.chat;
import static io.reliapi.llm.cost.ToolFeesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The input tokens bounded web fetches may add to a call's prompt. */
class FetchedContentTest {
  static final String FETCH = "{\"type\": \"web_fetch_20250910\", \"name\": \"web_fetch\", \"max_uses\": %d, "
      + "\"max_content_tokens\": %d}";

  static NativeBody anthropic(String tools) {
    return new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, json("{\"tools\": [" + tools + "]}"), false);
  }

  @Test
  void eachRoundOfTheToolLoopBillsThePromptAndTheDocumentsFetchedBeforeIt() {
    // One fetch: two rounds, the second carrying the document. Two: three rounds, carrying 0, 1 and 2 documents.
    assertThat(FetchedContent.plus(50, chatWith(FETCH.formatted(1, 700)), WireProtocol.ANTHROPIC_MESSAGES))
        .isEqualTo(2 * 50 + 700 + 16);
    assertThat(FetchedContent.plus(50, chatWith(FETCH.formatted(2, 700)), WireProtocol.ANTHROPIC_MESSAGES))
        .isEqualTo(3 * 50 + 3 * 700 + 2 * 16);
  }

  @Test
  void eachLaterRoundBillsWhatEarlierRoundsWroteAsInputAtMostMaxTokens() {
    // The request's max_tokens is 16: three fetches, three later rounds, each carrying at most 16 tokens of answer.
    long withoutOutput = 4 * 10 + 6 * 100;
    assertThat(FetchedContent.plus(10, chatWith(FETCH.formatted(3, 100)), WireProtocol.ANTHROPIC_MESSAGES))
        .isEqualTo(withoutOutput + 3 * 16);
  }

  @Test
  void theFetchesOfEveryBoundedToolShareOneLoopAtTheLargestDocument() {
    var request = chatWith(FETCH.formatted(3, 1000) + ", {\"type\": \"custom\"}, " + FETCH.formatted(2, 500));

    // Five fetches: six rounds of the prompt, 5 + 4 + 3 + 2 + 1 documents of at most 1000 tokens, 5 × max_tokens.
    assertThat(FetchedContent.plus(100, request, WireProtocol.ANTHROPIC_MESSAGES))
        .isEqualTo(6 * 100 + 15 * 1000 + 5 * 16);
  }

  @Test
  void extraCountsOnlyForATargetSpeakingAnthropicsProtocol() {
    var request = chat("claude-haiku-4-5", json("{}"), json("{\"tools\": [" + FETCH.formatted(4, 1000) + "]}"),
        Optional.empty());

    assertThat(FetchedContent.plus(10, request, WireProtocol.ANTHROPIC_MESSAGES))
        .isEqualTo(5 * 10 + 10 * 1000 + 4 * 16);
    assertThat(FetchedContent.plus(10, request, WireProtocol.OPENAI_CHAT)).isEqualTo(10);
  }

  @Test
  void aFetchWithoutBothBoundsIsNotBoundedAndAddsNothingHere() {
    String usesOnly = "{\"type\": \"web_fetch_20250910\", \"max_uses\": 2}";
    assertThat(FetchedContent.bounded(json(usesOnly))).isFalse();
    assertThat(FetchedContent.bounded(json(FETCH.formatted(2, 700)))).isTrue();
    assertThat(FetchedContent.bounded(json(FETCH.formatted(0, 700)))).isFalse();
    assertThat(FetchedContent.plus(10, chatWith(usesOnly), WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(10);
  }

  @Test
  void hugeBoundsSaturateInsteadOfWrappingAround() {
    var request = chatWith(FETCH.formatted(Integer.MAX_VALUE, Integer.MAX_VALUE) + ", "
        + FETCH.formatted(Integer.MAX_VALUE, Integer.MAX_VALUE) + ", " + FETCH.formatted(Integer.MAX_VALUE, 4));

    assertThat(FetchedContent.plus(5, request, WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(Long.MAX_VALUE);
    assertThat(FetchedContent.plus(Long.MAX_VALUE / 2, chatWith(FETCH.formatted(2, 1)),
        WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(Long.MAX_VALUE);
  }

  private static ChatRequest chatWith(String tools) {
    return chat("claude-haiku-4-5", json("{}"), json("{}"), Optional.of(anthropic(tools)));
  }
}
