package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A provider's stream as a raw route passes it to its client: the provider's own bytes, while a
 * {@link ChatStream} reads the same bytes to settle the usage. The chat stream reads the provider's side of
 * this tee, and so still decides when the stream has started (retries stay possible until then), stalls,
 * breaks or completes; the client's side hands on every byte in order, holding back only the events the
 * client did not ask for ({@link Provider#withheld}), and ends as the chat stream ends: normally when the
 * provider completed its answer, with a failure otherwise, so a truncated stream never looks complete.
 * Flow control goes from the client's side through the chat stream to the provider. Events are held until they are
 * complete to hold some back ({@link WithheldEvents}); one past the limit or the memory budget fails the provider's
 * side with that refusal, which the chat stream ends with. The bytes waiting for the client take from the memory budget
 * too ({@link ClientQueue}), so a stream held to its commit point, or read by a client slower than its provider, is
 * shed with OVERLOADED when the budget has no room for them. Used on one event loop.
 */
public final class NativeStream {
  private final ReadStream<Buffer> provider;
  /** Null when the client gets every event. */
  private final WithheldEvents withheld;
  private final ClientQueue queued;
  private final HeldBytes buffered;
  private final ClientSide client = new ClientSide();
  /** The chat stream ended, or the provider's side was refused: nothing more is kept. */
  private boolean over;

  /**
   * A tee of {@code provider}'s stream that holds back {@code withheld} (null: none); the events it holds are bounded
   * as those of a chat stream reading an answer of up to {@code maxResponseBytes}, and taken from {@code buffered}.
   */
  public NativeStream(ReadStream<Buffer> provider, Predicate<SseEvent> withheld, long maxResponseBytes,
      HeldBytes buffered) {
    this.provider = provider;
    this.buffered = buffered;
    this.queued = new ClientQueue(buffered);
    this.withheld = withheld == null ? null : new WithheldEvents(withheld, maxResponseBytes, buffered);
  }

  /** Returns the side the chat stream reads: the provider's bytes, each also kept for the client. */
  public ReadStream<Buffer> providerSide() {
    return new ProviderSide();
  }

  /**
   * Ends the client's side as {@code chat}, which reads the provider's side, ends; set before it starts. The event
   * held back is let go then, whether the client's side was ever read or not.
   */
  public void readBy(ChatStream chat) {
    client.chat = chat;
    chat.end().onComplete(ended -> {
      client.ended = ended;
      over = true;
      if (withheld != null && ended.succeeded()) {
        queued.adopt(withheld.rest());
      } else if (withheld != null) {
        withheld.letGo();
      }
      client.deliver();
    });
  }

  /** Returns the side the client reads, once the chat stream it is {@link #readBy} has started. */
  public ReadStream<Buffer> clientSide() {
    return client;
  }

  /** Lets go of what waits for the client, which will read no more (it hung up, or its stream was cut off). */
  public void abandon() {
    over = true;
    queued.clear();
  }

  /** Keeps {@code bytes} for the client; returns the refusal that fails the provider's side, or null. */
  private GatewayException keep(Buffer bytes) {
    if (over) {
      return null; // past the provider's end marker or a refusal: nothing of the answer, the client's stream may be closed
    }
    List<Buffer> passed = List.of(bytes);
    try {
      if (withheld != null) {
        passed = new ArrayList<>(1);
        withheld.feed(bytes, passed);
      }
    } catch (GatewayException refused) {
      over = true;
      return refused;
    }
    if (!queued.add(passed)) {
      over = true;
      return buffered.shedAnswer();
    }
    client.deliver();
    return null;
  }

  private final class ProviderSide implements ReadStream<Buffer> {
    private Handler<Throwable> exceptionHandler;

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      provider.handler(handler == null ? null : bytes -> {
        GatewayException refused = keep(bytes);
        if (refused == null) {
          handler.handle(bytes);
        } else if (exceptionHandler != null) {
          exceptionHandler.handle(refused);
        }
      });
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      exceptionHandler = handler;
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
