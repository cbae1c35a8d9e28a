package io.reliapi.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A message body: either all bytes in memory (replayable, storable) or a one-shot stream. */
public sealed interface Body {

  Body EMPTY = new Bytes(Buffer.buffer(0));

  static Body of(Buffer bytes) {
    return bytes.length() == 0 ? EMPTY : new Bytes(bytes);
  }

  /** Returns the length in bytes, or -1 when a stream does not announce it. */
  long length();

  /** Releases what the body holds when nobody will read it (a stream's connection is reset). */
  void discard();

  /** A body fully in memory. */
  record Bytes(Buffer bytes) implements Body {
    @Override
    public long length() {
      return bytes.length();
    }

    @Override
    public void discard() {}
  }

  /**
   * A body that can be read once. {@code abort} resets the source (the upstream request or the client
   * connection) when the stream will not be read to its end.
   */
  record Stream(ReadStream<Buffer> source, long length, Runnable abort) implements Body {
    @Override
    public void discard() {
      abort.run();
    }
  }
}
