package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.Reply;
import io.reliapi.store.StoredReply;
import io.reliapi.testing.ManualClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

/** What a keeping stage stores holds no more memory than the stores count for it. */
class StoredCopyTest {

  @Test
  void aBodyReadInPiecesIsKeptInABufferOfItsOwnLength() {
    Buffer read = Buffer.buffer();
    for (int i = 0; i < 9; i++) {
      read.appendBytes(new byte[8 * 1024]); // as a body arrives: the buffer grows by doubling
    }
    assertThat(capacity(read)).isGreaterThan(read.length());

    StoredCopy copy = StoredCopy.of(new Reply(200, Headers.of("Content-Type", "application/json"), Body.of(read)),
        1 << 20, new ManualClock(), HeldBytes.untracked());

    StoredReply kept = ((StoredCopy.Stored) copy.result().result()).reply();
    assertThat(kept.body()).isEqualTo(read);
    assertThat(capacity(kept.body())).isEqualTo(read.length());
    assertThat(kept.weight()).isLessThan(read.length() + 1024L);
  }

  @Test
  void aBodyAlreadyInABufferOfItsOwnLengthIsKeptWithoutACopy() {
    Buffer exact = Buffer.buffer(new byte[4096]);
    assertThat(capacity(exact)).isEqualTo(exact.length());

    StoredCopy copy = StoredCopy.of(new Reply(200, Headers.of(), Body.of(exact)), 1 << 20, new ManualClock(),
        HeldBytes.untracked());

    assertThat(((StoredCopy.Stored) copy.result().result()).reply().body()).isSameAs(exact);
  }

  @Test
  void aSliceOfALargerBufferIsKeptAsACopyOfItsOwnLength() {
    Buffer large = Buffer.buffer(new byte[1 << 20]);
    Buffer slice = large.slice(0, 100);

    StoredCopy copy = StoredCopy.of(new Reply(200, Headers.of(), Body.of(slice)), 1 << 20, new ManualClock(),
        HeldBytes.untracked());

    Buffer kept = ((StoredCopy.Stored) copy.result().result()).reply().body();
    assertThat(kept).isNotSameAs(slice).isEqualTo(slice);
    assertThat(capacity(kept)).isEqualTo(100);
  }

  /** The size of the array behind {@code buffer} (Vert.x hands out a slice of its length). */
  private static int capacity(Buffer buffer) {
    ByteBuf slice = ((BufferInternal) buffer).getByteBuf();
    return (slice.unwrap() != null ? slice.unwrap() : slice).capacity();
  }
}
