package io.reliapi.llm.anthropic;

import static io.reliapi.llm.ChatFixtures.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.StreamDecoder;
import io.reliapi.testing.AnthropicSearch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ping says Anthropic is at work on the answer only while a server tool runs (docs/streaming.md). */
class ServerToolRunsTest {
  static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";

  /** Returns the signs of work the decoder saw in the searched answer's first {@code events}, then a ping. */
  static long afterAPing(int events) {
    StreamDecoder decoder = new AnthropicProvider().decoder(0);
    List<String> read = new ArrayList<>(AnthropicSearch.streamedEvents().subList(0, events));
    decode(decoder, read);
    long before = decoder.signsOfWork();
    decode(decoder, List.of(PING));
    return decoder.signsOfWork() - before;
  }

  @Test
  void aPingWhileTheSearchRunsSaysTheProviderIsAtWork() {
    assertThat(afterAPing(AnthropicSearch.resultEvent())).isEqualTo(1);
  }

  @Test
  void aPingBeforeTheSearchOrAfterItsResultSaysNothing() {
    assertThat(afterAPing(3)).as("after the first text, no tool used yet").isZero();
    assertThat(afterAPing(AnthropicSearch.resultEvent() + 1)).as("the result arrived").isZero();
    assertThat(afterAPing(AnthropicSearch.streamedEvents().size() - 2)).as("the answer's end").isZero();
  }

  @Test
  void aClientToolUseIsNotRunByTheProvider() {
    ServerToolRuns runs = new ServerToolRuns();
    runs.blockStarted(AnthropicSearch.json("{\"type\": \"tool_use\", \"id\": \"toolu_1\", \"name\": \"f\"}"));
    assertThat(runs.any()).isFalse();
    runs.blockStarted(AnthropicSearch.json("{\"type\": \"mcp_tool_use\", \"id\": \"mcptoolu_1\", \"name\": \"g\"}"));
    assertThat(runs.any()).isTrue();
    runs.blockStarted(AnthropicSearch.json("{\"type\": \"mcp_tool_result\", \"tool_use_id\": \"mcptoolu_1\"}"));
    assertThat(runs.any()).isFalse();
  }
}
