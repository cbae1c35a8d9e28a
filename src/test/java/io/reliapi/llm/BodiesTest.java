package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Body;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.testing.HandStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An error body cut at its bound holds, in the memory budget, the bytes it keeps: the rest of the last chunk is let go. */
class BodiesTest {
  @Test
  void aCutBodyHoldsWhatItKeeps() {
    HandStream source = new HandStream();
    AtomicBoolean reset = new AtomicBoolean();
    ByteBudget budget = new ByteBudget(100);
    Future<Buffer> read = Bodies.read(new Body.Stream(source, -1, () -> reset.set(true)), 10, true,
        new HeldBytes(budget));
    source.emit("12345678");
    source.emit("abcdef");
    assertThat(read.result().toString()).isEqualTo("12345678ab");
    assertThat(reset).isTrue();
    assertThat(budget.inUse()).isEqualTo(10);
  }
}
