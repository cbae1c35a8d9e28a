package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.reliapi.time.IdleTimer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A provider's streamed answer, decoded into OpenAI-shaped chunks and read once. It starts when the first
 * chunk arrives (so an attempt can still be retried until then), holds chunks while nobody reads, and ends
 * exactly once: complete only when the provider marked the end of its answer; failed when the connection
 * breaks, stalls past the attempt's timeout, sends something malformed, reports an error, or the client goes
 * away. Used on one event loop.
 */
public final class ChatStream {
  private static final int MAX_EVENT_BYTES = 1 << 20;

  /**
   * Prices and records a stream's usage once it ends, {@code complete} or broken: {@code assembled} is what the
   * stream amounted to, with the usage the provider reported (null when it sent none); the result is the same
   * with the usage the gateway settled on and its cost.
   */
  @FunctionalInterface
  public interface Settlement {
    Completion settle(boolean complete, Completion assembled);
  }

  private final ReadStream<Buffer> source;
  private final Runnable abort;
  private final StreamDecoder decoder;
  private final Settlement settlement;
  private final SseParser parser;
  private final Promise<Void> started = Promise.promise();
  private final Promise<Completion> end = Promise.promise();
  private final Promise<Double> cost = Promise.promise();
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final StreamAssembly assembly;
  private final List<Runnable> cleanup = new ArrayList<>(2);
  private final StreamDecoder.Sink sink = new DecoderSink();
  private Consumer<ChatChunk> handler;
  private boolean complete;
  private Throwable failure;
  private boolean pausedByReader;
  private IdleTimer idle;
  private Future<StreamRecording> recording;

  /**
   * A stream read from {@code source}; {@code maxHeldBytes} bounds the text and arguments it holds to assemble
   * its completion (past it, the completion is not kept).
   */
  public ChatStream(ReadStream<Buffer> source, Runnable abort, StreamDecoder decoder, Settlement settlement,
      long maxHeldBytes) {
    this.source = source;
    this.abort = abort;
    this.decoder = decoder;
    this.settlement = settlement;
    this.assembly = new StreamAssembly(maxHeldBytes);
    this.parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
  }

  /**
   * Fails the stream when the provider sends nothing for {@code idleMs} while the gateway is reading (a stall);
   * the clock stops while the reader holds the stream paused. Set before {@link #start()}.
   */
  public void idleTimeout(Vertx vertx, long idleMs) {
    this.idle = new IdleTimer(vertx, idleMs, () -> onSourceFailure(new TimeoutException()));
  }

  /**
   * Starts reading; the future completes at the first chunk and fails when the stream ends or breaks before
   * one arrived (with a {@link ProviderStreamError} when the provider's first event was an error).
   */
  public Future<Void> start() {
    source.handler(this::onData);
    source.exceptionHandler(this::onSourceFailure);
    source.endHandler(v -> onSourceEnd());
    cleanup.add(this::disarmIdle);
    armIdle();
    source.resume();
    return started.future();
  }

  /** Runs {@code action} once, when the stream completes or fails (to stop timers and listeners). */
  public void onTerminal(Runnable action) {
    if (terminal()) {
      action.run();
    } else {
      cleanup.add(action);
    }
  }

  /** Sets the reader of the chunks; chunks that arrived before it are delivered first. */
  public void handler(Consumer<ChatChunk> handler) {
    this.handler = handler;
    drain();
    if (!terminal() && !pausedByReader) {
      armIdle();
      source.resume();
    }
  }

  /**
   * Completes with the completion the stream amounted to (settled usage and cost included), after every chunk
   * went to the handler; fails if it broke.
   */
  public Future<Completion> end() {
    return end.future();
  }

  /** Completes once the stream ended with what it cost: the whole answer, or what a broken one streamed. */
  public Future<Double> cost() {
    return cost.future();
  }

  /**
   * Returns what the stream amounts to for a stage that keeps answers, once it ended: the completion and its
   * {@code chat.completion} bytes when it is complete, faithful and within {@code maxBytes}; never fails.
   */
  public Future<StreamRecording> record(long maxBytes) {
    if (recording == null) {
      recording = end.future().<StreamRecording>map(completion -> {
        if (!assembly.faithful()) {
          return new StreamRecording.NotKept();
        }
        Buffer json = ChatCompletion.bytes(ChatCompletion.write(completion, assembly.created()));
        return json.length() > maxBytes ? new StreamRecording.NotKept() : new StreamRecording.Kept(completion, json);
      }).otherwise(StreamRecording.Broken::new);
    }
    return recording;
  }

  /** Stops delivering chunks until {@link #resume()} (the client cannot take more yet). */
  public void pause() {
    pausedByReader = true;
    if (!terminal()) {
      disarmIdle();
      source.pause();
    }
  }

  public void resume() {
    pausedByReader = false;
    drain();
    if (!terminal() && handler != null) {
      armIdle();
      source.resume();
    }
  }

  /** Stops the stream because its reader went away; the upstream connection is reset. */
  public void cancel() {
    if (end.future().isComplete()) {
      return;
    }
    pending.clear();
    fail(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The client went away during the stream."));
    finish();
  }

  /** Fails the stream with {@code error} unless it already ended (used for the request's deadline). */
  public void fail(GatewayException error) {
    if (terminal()) {
      return;
    }
    failure = error;
    abort.run();
    if (!started.future().isComplete()) {
      // Nobody will read a stream that never started: the attempt fails as a whole.
      pending.clear();
      started.tryFail(error);
      end.tryFail(error);
      cost.tryComplete(null);
    }
    terminate();
    drain();
  }

  private boolean terminal() {
    return complete || failure != null;
  }

  private void terminate() {
    List<Runnable> actions = List.copyOf(cleanup);
    cleanup.clear();
    actions.forEach(Runnable::run);
  }

  private void onData(Buffer bytes) {
    if (terminal()) {
      return;
    }
    armIdle();
    try {
      parser.feed(bytes);
    } catch (GatewayException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(malformed());
    }
  }

  private void onEvent(SseEvent event) {
    if (!terminal()) {
      decoder.decode(event, sink);
    }
  }

  private void onSourceEnd() {
    if (!terminal()) {
      fail(GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
          "The provider's stream ended before the answer was complete."));
    }
  }

  private void onSourceFailure(Throwable cause) {
    if (terminal()) {
      return;
    }
    fail(cause instanceof TimeoutException
        ? GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream stalled.")
        : GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The provider's stream broke off."));
  }

  private void drain() {
    while (handler != null && !pausedByReader && !pending.isEmpty()) {
      handler.accept(pending.poll());
    }
    if (handler != null && pending.isEmpty() && terminal()) {
      finish();
    }
  }

  private void finish() {
    if (end.future().isComplete()) {
      return;
    }
    if (failure != null) {
      Double spent = null;
      if (started.future().succeeded()) {
        spent = settlement.settle(false, assembly.completion(null, decoder.usage())).costUsd();
      }
      cost.complete(spent);
      end.fail(failure);
    } else {
      Completion settled = settlement.settle(true, assembly.completion(decoder.finishReason(), decoder.usage()));
      cost.complete(settled.costUsd());
      end.complete(settled);
    }
  }

  private void armIdle() {
    if (idle != null && !terminal()) {
      idle.restart();
    }
  }

  private void disarmIdle() {
    if (idle != null) {
      idle.stop();
    }
  }

  private static GatewayException malformed() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The provider sent a malformed stream event.");
  }

  private final class DecoderSink implements StreamDecoder.Sink {
    @Override
    public void chunk(ChatChunk chunk) {
      assembly.add(chunk);
      if (handler != null && !pausedByReader && pending.isEmpty()) {
        handler.accept(chunk);
      } else {
        pending.add(chunk);
      }
      if (!started.future().isComplete()) {
        // The first chunk is held before the start is announced: whoever the start reaches finds it there.
        started.complete();
        if (handler == null) {
          disarmIdle();
          source.pause();
        }
      }
    }

    @Override
    public void complete() {
      if (terminal()) {
        return;
      }
      complete = true;
      started.tryComplete();
      terminate();
      drain();
    }

    @Override
    public void providerError(int status, String body) {
      if (!started.future().isComplete()) {
        ProviderStreamError error = new ProviderStreamError(status, body);
        failure = error;
        abort.run();
        started.tryFail(error);
        end.tryFail(error);
        cost.tryComplete(null);
        terminate();
        return;
      }
      fail(GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR, "The provider reported an error during the stream.")
          .withUpstreamStatus(status));
    }
  }
}
