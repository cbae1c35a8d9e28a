package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.ToolFeesTest.chat;
import static io.reliapi.llm.cost.ToolFeesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

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
  void eachBoundedFetchToolAddsMaxUsesTimesMaxContentTokens() {
    var request = chat("claude-haiku-4-5", json("{}"), json("{}"),
        Optional.of(anthropic(FETCH.formatted(3, 1000) + ", {\"type\": \"custom\"}, " + FETCH.formatted(2, 500))));

    assertThat(FetchedContent.plus(100, request, WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(100 + 3000 + 1000);
  }

  @Test
  void extraCountsOnlyForATargetSpeakingAnthropicsProtocol() {
    var request = chat("claude-haiku-4-5", json("{}"), json("{\"tools\": [" + FETCH.formatted(4, 1000) + "]}"),
        Optional.empty());

    assertThat(FetchedContent.plus(10, request, WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(4010);
    assertThat(FetchedContent.plus(10, request, WireProtocol.OPENAI_CHAT)).isEqualTo(10);
  }

  @Test
  void aFetchWithoutBothBoundsHasNoBoundAndAddsNothingHere() {
    assertThat(FetchedContent.bound(json("{\"type\": \"web_fetch_20250910\", \"max_uses\": 2}"))).isEmpty();
    assertThat(FetchedContent.bound(json(FETCH.formatted(2, 700)))).hasValue(1400);
  }

  @Test
  void hugeBoundsSaturateInsteadOfWrappingAround() {
    var request = chat("claude-haiku-4-5", json("{}"), json("{}"),
        Optional.of(anthropic(FETCH.formatted(Integer.MAX_VALUE, Integer.MAX_VALUE) + ", "
            + FETCH.formatted(Integer.MAX_VALUE, Integer.MAX_VALUE) + ", " + FETCH.formatted(Integer.MAX_VALUE, 4))));

    assertThat(FetchedContent.plus(5, request, WireProtocol.ANTHROPIC_MESSAGES)).isEqualTo(Long.MAX_VALUE);
  }
}
