package io.reliapi.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Bytes kept for long (a stored answer) in a buffer of their own length. A body read in pieces sits in a buffer
 * grown by doubling, up to twice its length, while the memory stores count only the length; a buffer made to
 * its length (most answers' are) is kept as it is rather than copied again.
 */
public final class ExactBytes {
  private ExactBytes() {}

  public static Buffer of(Buffer bytes) {
    if (bytes instanceof BufferInternal internal) {
      // Vert.x hands out a plain slice of its own heap buffer, whose root is that buffer (an array of its own,
      // derived from nothing); any other kind (a slice of a larger one, direct, pooled, composite) comes wrapped,
      // its root unknown, and is copied.
      ByteBuf root = internal.getByteBuf().unwrap();
      if (root != null && root.unwrap() == null && root.hasArray() && root.arrayOffset() == 0
          && root.capacity() == bytes.length()) {
        return bytes;
      }
    }
    return Buffer.buffer(bytes.getBytes());
  }
}
