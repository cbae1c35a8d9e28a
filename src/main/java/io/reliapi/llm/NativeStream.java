package io.reliapi.llm;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * A provider's stream as a raw route passes it to its client: the provider's own bytes, while a
 * {@link ChatStream} reads the same bytes to settle the usage. The chat stream reads the provider's side of
 * this tee, and so still decides when the stream has started (retries stay possible until then), stalls,
 * breaks or completes; the client's side hands on every byte in order, holding back only the events the
 * client did not ask for ({@link Provider#withheld}), and ends as the chat stream ends: normally when the
 * provider completed its answer, with a failure otherwise, so a truncated stream never looks complete.
 * Flow control goes from the client's side through the chat stream to the provider. Used on one event loop.
 */
public final class NativeStream {
  private final ReadStream<Buffer> provider;
  private final Predicate<SseEvent> withheld;
  private final SseBlocks blocks;
  private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
  private final ClientSide client = new ClientSide();

  public NativeStream(ReadStream<Buffer> provider, Predicate<SseEvent> withheld) {
    this.provider = provider;
    this.withheld = withheld;
    this.blocks = withheld == null ? null : new SseBlocks();
  }

  /** Returns the side the chat stream reads: the provider's bytes, each also kept for the client. */
  public ReadStream<Buffer> providerSide() {
    return new ProviderSide();
  }

  /** Returns the side the client reads, once {@code chat} (reading the provider's side) has started. */
  public ReadStream<Buffer> clientSide(ChatStream chat) {
    client.chat = chat;
    chat.end().onComplete(ended -> {
      client.ended = ended;
      if (ended.succeeded() && blocks != null) {
        Buffer rest = blocks.rest();
        if (rest.length() > 0) {
          queued.add(rest);
        }
      }
      client.deliver();
    });
    return client;
  }

  private void keep(Buffer bytes) {
    if (client.ended != null) {
      return; // past the provider's end marker: nothing of the answer, and the client's stream may be closed
    }
    if (blocks == null) {
      queued.add(bytes);
    } else {
      for (Buffer block : blocks.feed(bytes)) {
        SseEvent event = SseBlocks.event(block);
        if (event == null || !withheld.test(event)) {
          queued.add(block);
        }
      }
    }
    client.deliver();
  }

  private final class ProviderSide implements ReadStream<Buffer> {
    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      provider.handler(handler == null ? null : bytes -> {
        keep(bytes);
        handler.handle(bytes);
      });
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      provider.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      provider.endHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      provider.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      provider.resume();
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      provider.fetch(amount);
      return this;
    }
  }

  private final class ClientSide implements ReadStream<Buffer> {
    private ChatStream chat;
    private AsyncResult<Completion> ended;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean reading;
    private boolean paused;
    private boolean done;

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      if (handler != null && !reading) {
        reading = true;
        // The chat stream reads on (and so does the provider) once somebody reads its chunks.
        chat.handler(chunk -> { });
      }
      deliver();
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      deliver();
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      this.endHandler = handler;
      deliver();
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      chat.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      paused = false;
      deliver();
      if (!paused) {
        chat.resume();
      }
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return amount > 0 ? resume() : this;
    }

    /** Hands on what is queued, then the end, once the reader listens for it (readers set handlers in any order). */
    private void deliver() {
      while (handler != null && !paused && !queued.isEmpty()) {
        handler.handle(queued.poll());
      }
      if (done || ended == null || handler == null || paused || !queued.isEmpty()) {
        return;
      }
      if (ended.succeeded() && endHandler != null) {
        done = true;
        endHandler.handle(null);
      } else if (ended.failed() && exceptionHandler != null) {
        done = true;
        exceptionHandler.handle(ended.cause());
      }
    }
  }
}
