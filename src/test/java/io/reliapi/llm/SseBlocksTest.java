package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseBlocksTest {
  static List<String> feed(SseBlocks blocks, String... pieces) {
    List<String> out = new ArrayList<>();
    for (String piece : pieces) {
      blocks.feed(Buffer.buffer(piece)).forEach(b -> out.add(text(b)));
    }
    return out;
  }

  static String text(List<Buffer> slices) {
    StringBuilder out = new StringBuilder();
    slices.forEach(out::append);
    return out.toString();
  }

  @Test
  void splitsEventsByteForByteWhateverTheLineEnds() {
    String lf = "event: a\ndata: 1\n\n";
    String crlf = "data: 2\r\ndata: 3\r\n\r\n";
    String cr = "data: 4\r\r";
    assertThat(feed(new SseBlocks(1 << 20), lf + crlf + cr)).containsExactly(lf,
        crlf.substring(0, crlf.length() - 1), "\n" + cr);
  }

  @Test
  void holdsAnEventSplitAcrossBuffersUntilItEndsCountingWhatItHolds() {
    SseBlocks blocks = new SseBlocks(1 << 20);
    assertThat(feed(blocks, "data: {\"a\"", ":1}\n", "\ndata: [DO")).containsExactly("data: {\"a\":1}\n\n");
    assertThat(blocks.pendingBytes()).isEqualTo("data: [DO".length());
    assertThat(text(blocks.rest())).isEqualTo("data: [DO");
    assertThat(blocks.rest()).isEmpty();
    assertThat(blocks.pendingBytes()).isZero();
  }

  @Test
  void refusesAnEventLargerThanItsLimitAsTheParserDoesButNotForItsLineEnds() {
    SseBlocks blocks = new SseBlocks(20);
    assertThat(feed(blocks, "data: " + "x".repeat(14) + "\r\n\r\n")).hasSize(1);
    assertThatThrownBy(() -> blocks.feed(Buffer.buffer("data: " + "x".repeat(15))))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE));
  }

  @Test
  void readsTheEventOfABlock() {
    assertThat(SseBlocks.event(List.of(Buffer.buffer("event: x\ndata: a\nda"), Buffer.buffer("ta: b\n\n"))))
        .isEqualTo(new SseEvent("x", "a\nb"));
    assertThat(SseBlocks.event(List.of(Buffer.buffer(": keep-alive\n\n")))).isNull();
  }
}
