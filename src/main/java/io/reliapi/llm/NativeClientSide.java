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
 * The side of a {@link NativeStream} a raw route's client reads: every provider byte in order, but the events the
 * client did not ask for ({@link WithheldEvents}), ending as the chat stream reading the provider's side ends. Bytes go
 * straight to a reader ready for them; only those it is not ready for (a stream held to its commit point, a client
 * slower than its provider) wait, in a {@link ClientQueue} that takes from the memory budget: a reader that drops
 * what it reads (a keyed stream read on for the duplicates waiting on it, its client gone) takes nothing, even once its
 * request ended and gave its share back. Used on one event loop.
 */
final class NativeClientSide implements ReadStream<Buffer> {
  /** Null when the client gets every event. */
  private final WithheldEvents withheld;
  private final ClientQueue queued;
  private final HeldBytes buffered;
  private ChatStream chat;
  private AsyncResult<Completion> ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean reading;
  private boolean paused;
  private boolean done;
  /** The chat stream ended, the provider's side was refused, or the client left: nothing more is kept. */
  private boolean over;
  /** The client left: nothing is handed to it any more. */
  private boolean abandoned;

  NativeClientSide(Predicate<SseEvent> withheld, long maxResponseBytes, HeldBytes buffered) {
    this.buffered = buffered;
    this.queued = new ClientQueue(buffered);
    this.withheld = withheld == null ? null : new WithheldEvents(withheld, maxResponseBytes, buffered);
  }

  /** Ends as {@code chat} ends; the event held back is let go then, whether this side was ever read or not. */
  void readBy(ChatStream chat) {
    this.chat = chat;
    chat.end().onComplete(end -> {
      if (withheld != null && end.succeeded() && !abandoned) {
        queued.adopt(withheld.rest());
      } else if (withheld != null) {
        withheld.letGo();
      }
      over = true;
      ended = end;
      deliver();
    });
  }

  /** Keeps {@code bytes} for the client; returns the refusal that fails the provider's side, or null. */
  GatewayException keep(Buffer bytes) {
    if (over) {
      return null; // past the provider's end marker, a refusal, or no client: nothing of the answer for it
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
    int handed = 0;
    while (handed < passed.size() && handler != null && !paused && queued.isEmpty()) {
      handler.handle(passed.get(handed++)); // taken at once: never waits, so never counted
    }
    if (handed < passed.size() && !queued.add(passed.subList(handed, passed.size()))) {
      over = true;
      return buffered.shedAnswer();
    }
    return null;
  }

  /** Lets go of what waits for the client, which will read no more (it hung up, or its stream was cut off). */
  void abandon() {
    over = true;
    abandoned = true;
    queued.clear();
    if (withheld != null) {
      withheld.letGo();
    }
  }

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
    if (abandoned) {
      return;
    }
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
