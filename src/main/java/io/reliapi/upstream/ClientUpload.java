package io.reliapi.upstream;

import io.reliapi.http.FlowWatchedStream;
import io.reliapi.time.Clock;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed from the client to the upstream, watched so that an attempt that times out while
 * the body is still on its way can tell a slow client from a slow upstream. The pipe pauses this stream only
 * while the upstream takes no more; the rest of the time the gateway is waiting for the client's next bytes.
 * When the upload is unfinished and most of its time went to waiting for the client, the upstream cannot be
 * blamed for not answering a request it has not received. Time is real time: this judges I/O, like a timeout.
 */
final class ClientUpload extends FlowWatchedStream {
  private final Clock clock;
  private final long startNanos;
  private long heldSinceNanos = -1;
  private long heldNanos;
  private boolean ended;

  ClientUpload(ReadStream<Buffer> source, Clock clock) {
    super(source);
    this.clock = clock;
    this.startNanos = clock.nanoTime();
  }

  /** Returns whether the body is unfinished and more of its time so far went to the client than to the upstream. */
  boolean mostlyAwaitingClient() {
    if (ended) {
      return false;
    }
    long now = clock.nanoTime();
    long held = heldNanos + (heldSinceNanos >= 0 ? now - heldSinceNanos : 0);
    return held * 2 < now - startNanos;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    return super.endHandler(handler == null ? null : v -> {
      ended = true;
      handler.handle(v);
    });
  }

  @Override
  protected void paused() {
    if (heldSinceNanos < 0) {
      heldSinceNanos = clock.nanoTime();
    }
  }

  @Override
  protected void resumed() {
    if (heldSinceNanos >= 0) {
      heldNanos += clock.nanoTime() - heldSinceNanos;
      heldSinceNanos = -1;
    }
  }
}
