package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  final List<SseEvent> events = new ArrayList<>();
  final SseParser parser = new SseParser(64, events::add);

  @Test
  void dispatchesAnEventAtEachBlankLineWithItsNameAndData() {
    parser.feed(Buffer.buffer("event: message_start\ndata: {\"a\":1}\n\ndata: [DONE]\n\n"));
    assertThat(events).containsExactly(new SseEvent("message_start", "{\"a\":1}"), new SseEvent(null, "[DONE]"));
  }

  @Test
  void acceptsCrlfAndCrLineEndingsAndSkipsComments() {
    parser.feed(Buffer.buffer(": keep-alive\r\ndata: one\r\n\r\ndata:two\r\rdata: three\n\n"));
    assertThat(events).extracting(SseEvent::data).containsExactly("one", "two", "three");
  }

  /** What says the answer moves on: bytes outside comments, a line still arriving included, counted across events. */
  @Test
  void countsTheBytesOutsideCommentsAsTheyArriveAndTellsWhenAnEventIsBeingRead() {
    parser.feed(Buffer.buffer(": keep-alive\n\n: padding"));
    assertThat(parser.contentBytes()).isZero();
    assertThat(parser.midEvent()).isFalse();

    parser.feed(Buffer.buffer("\ndata: ab"));
    assertThat(parser.contentBytes()).isEqualTo(8);
    assertThat(parser.midEvent()).isTrue();

    parser.feed(Buffer.buffer("c\n"));
    assertThat(parser.contentBytes()).isEqualTo(9);
    assertThat(parser.midEvent()).as("its data read, not dispatched").isTrue();

    parser.feed(Buffer.buffer("\nid: 7\n: x\n"));
    assertThat(parser.contentBytes()).isEqualTo(14);
    assertThat(parser.midEvent()).as("an id line makes no event").isFalse();

    parser.feed(Buffer.buffer("event: ping"));
    parser.reset();
    assertThat(parser.contentBytes()).as("counts on across a reset").isEqualTo(25);
  }

  @Test
  void joinsMultiLineDataWithLineFeeds() {
    parser.feed(Buffer.buffer("data: a\ndata: b\n\n"));
    assertThat(events).containsExactly(new SseEvent(null, "a\nb"));
  }

  @Test
  void readsALineWithoutAColonAsAFieldWithAnEmptyValueAndDropsOneSpaceAfterTheColonOnly() {
    parser.feed(Buffer.buffer("data\ndata:x\ndata:  y\nevent\n\n"));
    assertThat(events).containsExactly(new SseEvent("", "\nx\n y"));
  }

  @Test
  void keepsACharacterSplitAcrossNetworkBuffersWhole() {
    byte[] bytes = "data: héllo ✓\n\n".getBytes(StandardCharsets.UTF_8);
    for (int split = 1; split < bytes.length; split++) {
      events.clear();
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, split)));
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, split, bytes.length)));
      assertThat(events).extracting(SseEvent::data).containsExactly("héllo ✓");
    }
  }

  @Test
  void waitsForTheBlankLineBeforeDispatching() {
    parser.feed(Buffer.buffer("data: partial"));
    assertThat(events).isEmpty();
  }

  @Test
  void countsWhatTheEventBeingReadHoldsItsLineBufferAsAllocatedUntilItIsDispatched() {
    SseParser large = new SseParser(1 << 20, events::add);
    large.feed(Buffer.buffer("data: " + "x".repeat(300)));
    assertThat(large.pendingBytes()).as("306 bytes in a buffer doubled to 512").isEqualTo(512);
    large.feed(Buffer.buffer("\nevent: x"));
    assertThat(large.pendingBytes()).as("the buffer and the data it was copied to").isEqualTo(512 + 300);
    large.feed(Buffer.buffer("\n"));
    assertThat(large.pendingBytes()).as("and the name").isEqualTo(512 + 300 + 1);
    large.feed(Buffer.buffer("\ndata: b"));
    assertThat(events).containsExactly(new SseEvent("x", "x".repeat(300)));
    assertThat(large.pendingBytes()).as("the next event's alone").isEqualTo(512);
    large.feed(Buffer.buffer("\n\n"));
    assertThat(large.pendingBytes()).as("between events").isZero();
  }

  @Test
  void countsTextBeyondLatin1AsTheTwoBytesACharacterHolds() {
    // Java keeps a string of Latin-1 text one byte a character and any other two (UTF-16), whatever its UTF-8 was.
    SseParser large = new SseParser(1 << 20, events::add);
    large.feed(Buffer.buffer("data: " + "中".repeat(1000) + "\n"));
    assertThat(large.pendingBytes()).as("3006 bytes in a buffer doubled to 4096, 1000 characters").isEqualTo(4096 + 2000);
    large.feed(Buffer.buffer("data: é\n"));
    assertThat(large.pendingBytes()).as("both lines joined, wide, in a builder of 1002 characters")
        .isEqualTo(4096 + 2 * 1002);
    large.feed(Buffer.buffer("event: 事\n"));
    assertThat(large.pendingBytes()).as("and the name").isEqualTo(4096 + 2 * 1002 + 2);
    large.feed(Buffer.buffer("\n"));
    assertThat(large.pendingBytes()).isZero();

    large.feed(Buffer.buffer("data: " + "é".repeat(1000) + "\n"));
    assertThat(large.pendingBytes()).as("é is Latin-1: one byte a character, though two in UTF-8")
        .isEqualTo(4096 + 1000);
    large.feed(Buffer.buffer("data: x\n"));
    assertThat(large.pendingBytes()).as("a narrow builder").isEqualTo(4096 + 1002);
  }

  @Test
  void letsALongLineBufferGoOnceReadEvenForACommentLine() {
    SseParser large = new SseParser(1 << 20, events::add);
    large.feed(Buffer.buffer(":" + " ".repeat(100_000) + "\n"));
    assertThat(large.pendingBytes()).as("the padding's buffer is not kept").isEqualTo(256);
    large.feed(Buffer.buffer("data: " + "x".repeat(100_000) + "\n"));
    assertThat(large.pendingBytes()).isEqualTo(256 + 100_000);
  }

  @Test
  void forgetsTheEventBeingReadAndItsBufferWhenReset() {
    SseParser large = new SseParser(1 << 20, events::add);
    large.feed(Buffer.buffer("event: old\ndata: " + "x".repeat(1000)));
    assertThat(large.pendingBytes()).isEqualTo(1024 + 3);
    large.reset();
    assertThat(large.pendingBytes()).isZero();
    large.feed(Buffer.buffer("data: new\n\n"));
    assertThat(events).containsExactly(new SseEvent(null, "new"));
  }

  @Test
  void refusesAnEventLargerThanItsLimitAsAnAnswerTooLarge() {
    assertThatThrownBy(() -> parser.feed(Buffer.buffer("data: " + "x".repeat(100) + "\n\n")))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE))
        .hasMessageContaining("larger");
  }
}
