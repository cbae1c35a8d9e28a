package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.testing.HandStream;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Found in review: the one chunk that took a body past the bound was held (until the reset, or passed on with the
 * body) without being taken from the memory budget. It is taken like every other chunk, and shed like one.
 */
class BoundedReadTest {
  private final HandStream source = new HandStream();
  private final AtomicBoolean reset = new AtomicBoolean();
  private final Body.Stream body = new Body.Stream(source, -1, () -> reset.set(true));

  /** Reads with a bound of 10 bytes a body whose second chunk goes past it. */
  private Future<BoundedRead.Read> readPastTheBound(ByteBudget budget) {
    Future<BoundedRead.Read> read = BoundedRead.read(body, 10, new HeldBytes(budget));
    source.emit("12345678");
    source.emit("abcdef");
    return read;
  }

  @Test
  void theChunkPastTheBoundIsTakenFromTheBudget() {
    ByteBudget budget = new ByteBudget(100);
    Future<BoundedRead.Read> read = readPastTheBound(budget);
    assertThat(read.result().whole()).isFalse();
    assertThat(read.result().past().toString()).isEqualTo("abcdef");
    assertThat(source.paused()).isTrue();
    assertThat(budget.inUse()).as("both chunks held").isEqualTo(14);
  }

  @Test
  void aChunkPastTheBoundThatTheBudgetCannotTakeShedsTheAnswer() {
    ByteBudget budget = new ByteBudget(10);
    Future<BoundedRead.Read> read = readPastTheBound(budget);
    assertThat(read.failed()).isTrue();
    assertThat(((GatewayException) read.cause()).code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(reset).as("the source reset").isTrue();
    assertThat(budget.inUse()).isEqualTo(8);
  }
}
