package io.reliapi.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageBlocksTest {
  final List<String> written = new ArrayList<>();
  final Set<Integer> stopped = new HashSet<>();
  Integer open;

  /** Records each event as a line, and holds Anthropic's order: one block open at a time, none written after its stop. */
  final MessageBlocks blocks = new MessageBlocks((name, data) -> {
    int index = data.get("index").asInt();
    assertThat(stopped).as("%s after block %d stopped", name, index).doesNotContain(index);
    switch (name) {
      case "content_block_start" -> {
        assertThat(open).as("a block opens while %s is open", open).isNull();
        open = index;
        ObjectNode block = (ObjectNode) data.get("content_block");
        written.add("start " + block.get("type").asText()
            + (block.has("id") ? " " + block.get("id").asText() + " " + block.get("name").asText() : ""));
      }
      case "content_block_delta" -> {
        assertThat(open).as("a delta goes to the open block").isEqualTo(index);
        var delta = data.get("delta");
        written.add(delta.has("partial_json") ? "json " + delta.get("partial_json").asText() : "text " + delta.get("text").asText());
      }
      default -> {
        assertThat(open).isEqualTo(index);
        stopped.add(index);
        open = null;
        written.add("stop");
      }
    }
  });

  @Test
  void textBetweenACallsFragmentsFollowsTheCallsBlock() {
    blocks.toolCall(0, "call_1", "lookup");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{\"q\": "));
    blocks.text("Looking.");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "\"cat\"}"));
    blocks.text(" Done.");
    blocks.close();

    assertThat(written).containsExactly("start tool_use call_1 lookup", "json {\"q\": ", "json \"cat\"}", "stop",
        "start text", "text Looking.", "text  Done.", "stop");
  }

  @Test
  void dropsAFragmentForACallWhoseWholeArgumentsAlreadyClosedItsBlock() {
    blocks.toolCall(0, "call_1", "a");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{}"));
    blocks.toolCall(1, "call_2", "b");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, " \n"));
    blocks.toolArgs(new ChatChunk.ToolArgs(1, "{}"));
    blocks.close();

    assertThat(written).containsExactly("start tool_use call_1 a", "json {}", "stop",
        "start tool_use call_2 b", "json {}", "stop");
  }

  @Test
  void holdsACallUntilItsIdAndNameAreKnown() {
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{\"q\":"));
    blocks.toolCall(0, "call_1", "");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, " 1"));
    blocks.toolCall(0, "", "lookup");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "}"));
    blocks.close();

    assertThat(written).containsExactly("start tool_use call_1 lookup", "json {\"q\": 1", "json }", "stop");
  }

  @Test
  void startsACallsBlockOnceItsNameIsWholeItsPiecesJoined() {
    blocks.toolCall(0, "call_1", "get_");
    blocks.toolCall(0, "", "weather");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{}"));
    blocks.toolCall(1, "call_2", "look");
    blocks.toolCall(1, "", "up");
    blocks.close();

    assertThat(written).containsExactly("start tool_use call_1 get_weather", "json {}", "stop",
        "start tool_use call_2 lookup", "stop");
  }

  @Test
  void writesACallNeverNamedAtTheEndWithItsArguments() {
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{}"));
    blocks.text("Hi");
    blocks.close();

    assertThat(written).containsExactly("start text", "text Hi", "stop", "start tool_use  ", "json {}", "stop");
  }

  @Test
  void holdsACallInterleavedWithTheOpenOneAndWritesItWholeAfterIt() {
    blocks.toolCall(0, "call_1", "a");
    blocks.toolCall(1, "call_2", "b");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "{\"x\":"));
    blocks.toolArgs(new ChatChunk.ToolArgs(1, "{\"y\":"));
    blocks.text("and");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "1}"));
    blocks.toolArgs(new ChatChunk.ToolArgs(1, "2}"));
    blocks.close();

    assertThat(written).containsExactly("start tool_use call_1 a", "json {\"x\":", "json 1}", "stop",
        "start tool_use call_2 b", "json {\"y\":2}", "stop", "start text", "text and", "stop");
  }

  @Test
  void textFollowsAtOnceACallWhoseArgumentsCanNeverBeAJsonObject() {
    blocks.toolCall(0, "call_1", "a");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "[1, 2]"));
    blocks.text("Hi");

    assertThat(written).as("the text does not wait for the message's end")
        .containsExactly("start tool_use call_1 a", "json [1, 2]", "stop", "start text", "text Hi");
    blocks.toolArgs(new ChatChunk.ToolArgs(0, "}"));
    blocks.close();
    assertThat(written).endsWith("text Hi", "stop");
  }

  @Test
  void followsInterleavedFragmentsWithoutReadingTheArgumentsAgainForEachOne() {
    // 2 MB of arguments in 20,000 fragments: read again at each one, they would be 20 GB of parsing.
    int fragments = 20_000;
    String fragment = "0123456789".repeat(10);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      blocks.toolCall(0, "call_1", "a");
      blocks.toolArgs(new ChatChunk.ToolArgs(0, "{\"q\": \""));
      for (int i = 0; i < fragments; i++) {
        blocks.text("t");
        blocks.toolArgs(new ChatChunk.ToolArgs(0, fragment));
      }
      blocks.toolArgs(new ChatChunk.ToolArgs(0, "\"}"));
    });
    // The call's start, its fragments and its stop, then the text that waited for them, before the message's end.
    assertThat(written).hasSize(1 + (fragments + 2) + 1 + 1 + fragments);
    assertThat(written.get(fragments + 3)).isEqualTo("stop");
    assertThat(written.getLast()).isEqualTo("text t");
  }
}
