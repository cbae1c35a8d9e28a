package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Predicate;

/**
 * A provider's stream as a raw route passes it to its client: the provider's own bytes, while a
 * {@link ChatStream} reads the same bytes to settle the usage. The chat stream reads the provider's side of
 * this tee, and so still decides when the stream has started (retries stay possible until then), stalls,
 * breaks or completes; the client's side hands on every byte in order, holding back only the events the
 * client did not ask for ({@link Provider#withheld}), and ends as the chat stream ends: normally when the
 * provider completed its answer, with a failure otherwise, so a truncated stream never looks complete
 * ({@link NativeClientSide}). Flow control goes from the client's side through the chat stream to the provider. Events
 * are held until they are complete to hold some back ({@link WithheldEvents}); one past the limit or the memory budget
 * fails the provider's side with that refusal, which the chat stream ends with. The bytes waiting for the client take
 * from the memory budget too ({@link ClientQueue}), so a stream held to its commit point, or read by a client slower
 * than its provider, is shed with OVERLOADED when the budget has no room for them. Used on one event loop.
 */
public final class NativeStream {
  private final ReadStream<Buffer> provider;
  private final NativeClientSide client;

  /**
   * A tee of {@code provider}'s stream that holds back {@code withheld} (null: none); the events it holds are bounded
   * as those of a chat stream reading an answer of up to {@code maxResponseBytes}, and taken from {@code buffered}.
   */
  public NativeStream(ReadStream<Buffer> provider, Predicate<SseEvent> withheld, long maxResponseBytes,
      HeldBytes buffered) {
    this.provider = provider;
    this.client = new NativeClientSide(withheld, maxResponseBytes, buffered);
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
    client.readBy(chat);
  }

  /** Returns the side the client reads, once the chat stream it is {@link #readBy} has started. */
  public ReadStream<Buffer> clientSide() {
    return client;
  }

  /**
   * Lets go of what waits for the client, which will read no more (it hung up, its stream was cut off, or the
   * attempt failed before its commit point).
   */
  public void abandon() {
    client.abandon();
  }

  private final class ProviderSide implements ReadStream<Buffer> {
    private Handler<Throwable> exceptionHandler;

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      provider.handler(handler == null ? null : bytes -> {
        GatewayException refused = client.keep(bytes);
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
}
