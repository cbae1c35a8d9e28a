package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.HandStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BodyCopyTest {

  /** What a consumer of the copied body saw. */
  private static final class Reader {
    final StringBuilder seen = new StringBuilder();
    boolean ended;
    Throwable failure;

    Reader(ReadStream<Buffer> stream) {
      stream.handler(chunk -> seen.append(chunk));
      stream.endHandler(v -> ended = true);
      stream.exceptionHandler(e -> failure = e);
      stream.resume();
    }
  }

  private static Body.Stream copiedStream(BodyCopy.Copy copy) {
    return (Body.Stream) copy.body();
  }

  @Test
  void aWholeBodyIsPassedOnAsItIsAndCopiedAtOnce() {
    Body body = Body.of(Buffer.buffer("hello"));
    BodyCopy.Copy copy = BodyCopy.of(body, 5);
    assertThat(copy.body()).isSameAs(body);
    assertThat(copy.bytes().result().toString()).isEqualTo("hello");
    assertThat(BodyCopy.of(body, 4).bytes().failed()).isTrue();
  }

  @Test
  void aStreamIsPassedOnChunkByChunkAndCopiedOnceItEnds() {
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100);
    Reader reader = new Reader(copiedStream(copy).source());
    source.emit("ab");
    source.emit("cd");
    assertThat(reader.seen).hasToString("abcd");
    assertThat(copy.bytes().isComplete()).isFalse();
    source.end();
    assertThat(reader.ended).isTrue();
    assertThat(copy.bytes().result().toString()).isEqualTo("abcd");
  }

  @Test
  void flowControlReachesTheSource() {
    HandStream source = new HandStream();
    ReadStream<Buffer> copied = copiedStream(BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100)).source();
    copied.resume();
    assertThat(source.paused()).isFalse();
    copied.pause();
    assertThat(source.paused()).isTrue();
    copied.fetch(1);
    assertThat(source.paused()).isFalse();
  }

  @Test
  void aStreamsCopyTakesFromTheMemoryBudgetAndIsGivenUpWhenItHasNoRoomWhileTheReaderGetsEverything() {
    ByteBudget budget = new ByteBudget(3);
    HeldBytes held = new HeldBytes(budget);
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100, held);
    Reader reader = new Reader(copiedStream(copy).source());
    source.emit("ab");
    assertThat(budget.inUse()).isEqualTo(2);
    source.emit("cd");
    source.emit("ef");
    source.end();
    assertThat(reader.seen).hasToString("abcdef");
    assertThat(reader.ended).isTrue();
    assertThat(copy.bytes().failed()).isTrue();
    assertThat(budget.inUse()).as("the copy given up gave its bytes back").isZero();
    assertThat(budget.shed()).as("the request was not shed").isZero();
  }

  @Test
  void aCopyHandedOnWholeGivesItsBytesBackEvenAfterItsRequestEnded() {
    ByteBudget budget = new ByteBudget(100);
    HeldBytes held = new HeldBytes(budget);
    held.release();  // a carried-on request: its client left, its answer is still read to keep it
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100, held);
    new Reader(copiedStream(copy).source());
    source.emit("abcd");
    assertThat(budget.inUse()).isEqualTo(4);
    source.end();
    assertThat(copy.bytes().result().toString()).isEqualTo("abcd");
    assertThat(budget.inUse()).as("the store keeping it bounds it from here").isZero();
  }

  @Test
  void aStreamPastTheLimitStillReachesTheReaderWholeButIsNotCopied() {
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 3);
    Reader reader = new Reader(copiedStream(copy).source());
    source.emit("ab");
    source.emit("cd");
    source.emit("ef");
    source.end();
    assertThat(reader.seen).hasToString("abcdef");
    assertThat(reader.ended).isTrue();
    assertThat(copy.bytes().failed()).isTrue();
  }

  @Test
  void aStreamAnnouncedLargerThanTheLimitIsNotWrapped() {
    Body.Stream stream = new Body.Stream(new HandStream(), 10, () -> {});
    BodyCopy.Copy copy = BodyCopy.of(stream, 9);
    assertThat(copy.body()).isSameAs(stream);
    assertThat(copy.bytes().failed()).isTrue();
  }

  @Test
  void aBrokenStreamIsReportedToTheReaderAndNotCopied() {
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100);
    Reader reader = new Reader(copiedStream(copy).source());
    source.emit("ab");
    source.fail();
    assertThat(reader.failure).isNotNull();
    assertThat(copy.bytes().failed()).isTrue();
  }

  @Test
  void aBreakBeforeAnyoneReadsIsSeenToo() {
    HandStream source = new HandStream();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100);
    source.fail();
    assertThat(copy.bytes().failed()).isTrue();
  }

  @Test
  void discardingTheCopiedBodyAbortsTheSourceAndGivesUpTheCopy() {
    AtomicBoolean aborted = new AtomicBoolean();
    BodyCopy.Copy copy = BodyCopy.of(new Body.Stream(new HandStream(), -1, () -> aborted.set(true)), 100);
    copy.body().discard();
    assertThat(aborted).isTrue();
    assertThat(copy.bytes().failed()).isTrue();
  }

  @Test
  void copiesCanBeNestedAndEachSeesTheWholeStream() {
    HandStream source = new HandStream();
    BodyCopy.Copy inner = BodyCopy.of(new Body.Stream(source, -1, () -> {}), 100);
    BodyCopy.Copy outer = BodyCopy.of(inner.body(), 100);
    Reader reader = new Reader(copiedStream(outer).source());
    source.emit("x");
    source.emit("y");
    source.end();
    assertThat(reader.seen).hasToString("xy");
    assertThat(inner.bytes().result().toString()).isEqualTo("xy");
    assertThat(outer.bytes().result().toString()).isEqualTo("xy");
  }
}
