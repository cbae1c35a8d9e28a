package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseBlocksTest {
  static List<String> feed(SseBlocks blocks, String... pieces) {
    List<String> out = new ArrayList<>();
    for (String piece : pieces) {
      blocks.feed(Buffer.buffer(piece)).forEach(b -> out.add(b.toString()));
    }
    return out;
  }

  @Test
  void splitsEventsByteForByteWhateverTheLineEnds() {
    String lf = "event: a\ndata: 1\n\n";
    String crlf = "data: 2\r\ndata: 3\r\n\r\n";
    String cr = "data: 4\r\r";
    assertThat(feed(new SseBlocks(), lf + crlf + cr)).containsExactly(lf, crlf.substring(0, crlf.length() - 1),
        "\n" + cr);
  }

  @Test
  void holdsAnEventSplitAcrossBuffersUntilItEnds() {
    SseBlocks blocks = new SseBlocks();
    assertThat(feed(blocks, "data: {\"a\"", ":1}\n", "\ndata: [DO")).containsExactly("data: {\"a\":1}\n\n");
    assertThat(blocks.rest().toString()).isEqualTo("data: [DO");
    assertThat(blocks.rest().length()).isZero();
  }

  @Test
  void readsTheEventOfABlock() {
    assertThat(SseBlocks.event(Buffer.buffer("event: x\ndata: a\ndata: b\n\n"))).isEqualTo(new SseEvent("x", "a\nb"));
    assertThat(SseBlocks.event(Buffer.buffer(": keep-alive\n\n"))).isNull();
  }
}
