package io.reliapi.llm;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A provider's streamed answer, decoded into OpenAI-shaped chunks and read once. It starts (is committed to its
 * reader) at the point its {@link StreamCommit} mode names: the first chunk, the first content token, or the
 * provider's complete answer; until then it holds what arrived and reads on, and any fault fails the attempt as
 * a whole, so it can still be retried or fall back without the client seeing anything. It holds chunks while
 * nobody reads, and ends exactly once: complete when the provider marked the end of its answer (or ended its
 * response after a finish reason); failed when the connection breaks, stalls past its limits, sends something
 * malformed, reports an error, or the client goes away. Used on one event loop.
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
  private final StreamCommit commit;
  private final long maxHeldBytes;
  /** Completes at the commit point; fails when the stream ends or breaks before it. */
  private final Promise<Void> started = Promise.promise();
  private final Promise<Completion> end = Promise.promise();
  private final Promise<Double> cost = Promise.promise();
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final StreamAssembly assembly;
  private final List<Runnable> cleanup = new ArrayList<>(2);
  private final List<Runnable> tokenActions = new ArrayList<>(1);
  private final StreamDecoder.Sink sink = new DecoderSink();
  private Consumer<ChatChunk> handler;
  private boolean complete;
  private Throwable failure;
  private boolean pausedByReader;
  private boolean tokenSeen;
  private long heldBytes;
  private StreamSilence silence;
  private Future<StreamRecording> recording;

  /** A stream committed at its first chunk ({@link StreamCommit#NONE}). */
  public ChatStream(ReadStream<Buffer> source, Runnable abort, StreamDecoder decoder, Settlement settlement,
      long maxHeldBytes) {
    this(source, abort, decoder, settlement, maxHeldBytes, StreamCommit.NONE);
  }

  /**
   * A stream read from {@code source}, committed where {@code commit} says; {@code maxHeldBytes} bounds the text
   * and arguments it holds to assemble its completion (past it, the completion is not kept) and the events it
   * holds before its commit point (past it, it commits there).
   */
  public ChatStream(ReadStream<Buffer> source, Runnable abort, StreamDecoder decoder, Settlement settlement,
      long maxHeldBytes, StreamCommit commit) {
    this.source = source;
    this.abort = abort;
    this.decoder = decoder;
    this.settlement = settlement;
    this.assembly = new StreamAssembly(maxHeldBytes);
    this.parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
    this.commit = commit;
    this.maxHeldBytes = maxHeldBytes;
  }

  /**
   * Fails the stream when the provider sends nothing while the gateway is reading (a stall): for
   * {@code beforeTokenMs} until the first content token (0: no limit, when a first-token timer bounds that
   * stretch), for {@code afterTokenMs} between events after it. The clock stops while the reader holds the stream
   * paused. Set before {@link #start()}.
   */
  public void idleTimeouts(Vertx vertx, long beforeTokenMs, long afterTokenMs) {
    this.silence = new StreamSilence(vertx, beforeTokenMs, afterTokenMs, this::onSilence);
  }

  /** Runs {@code action} once, when the first content token arrives (at once if it has). */
  public void onFirstToken(Runnable action) {
    if (tokenSeen) {
      action.run();
    } else {
      tokenActions.add(action);
    }
  }

  /**
   * Starts reading; the future completes at the commit point and fails when the stream ends or breaks before
   * it (with a {@link ProviderStreamError} when the provider reported an error before it).
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
      // Nobody will read a stream that was never committed: the attempt fails as a whole.
      pending.clear();
      started.tryFail(error);
      finish();
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
      fail(e.withStreamFault());
    } catch (RuntimeException e) {
      fail(malformed());
    }
  }

  private void onEvent(SseEvent event) {
    if (terminal()) {
      return;
    }
    if (!started.future().isComplete()) {
      heldBytes += event.data().length();
    }
    decoder.decode(event, sink);
  }

  /**
   * The provider ended its response. After a finish reason the answer is complete even without the protocol's
   * end marker ({@code data: [DONE]}, {@code message_stop}); before one it was cut off.
   */
  private void onSourceEnd() {
    if (terminal()) {
      return;
    }
    if (decoder.finishReason() != null) {
      sink.complete();
      return;
    }
    fail(GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's stream ended before the answer was complete.").withStreamFault());
  }

  private void onSourceFailure(Throwable cause) {
    if (terminal()) {
      return;
    }
    fail(cause instanceof TimeoutException ? stalled()
        : GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The provider's stream broke off.").withStreamFault());
  }

  /** The provider kept silent past the limit: before the first token it is slow to answer, after it it stalled. */
  private void onSilence(boolean afterToken) {
    if (!terminal()) {
      fail(afterToken ? stalled() : GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT,
          "The provider sent no token in time."));
    }
  }

  private static GatewayException stalled() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream stalled.").withStreamFault();
  }

  /** Returns whether the stream has reached its commit point with what it holds now. */
  private boolean reachedCommitPoint() {
    if (heldBytes > maxHeldBytes) {
      return true; // an answer longer than the gateway holds goes out as it comes from here on
    }
    return switch (commit) {
      case NONE -> true;
      case FIRST_TOKEN -> tokenSeen;
      case COMPLETE -> false;
    };
  }

  private void commitNow() {
    started.complete();
    if (handler == null) {
      // Nobody reads yet (the reply is on its way to the route): the provider waits, and so does its clock.
      disarmIdle();
      source.pause();
    }
  }

  private void tokenArrived() {
    tokenSeen = true;
    if (silence != null) {
      silence.tokenArrived(!terminal() && !pausedByReader);
    }
    List<Runnable> actions = List.copyOf(tokenActions);
    tokenActions.clear();
    actions.forEach(Runnable::run);
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
      if (started.future().succeeded() || tokenSeen) {
        // What the provider streamed is spent, whether the client saw it or a held attempt failed.
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
    if (silence != null && !terminal()) {
      silence.restart();
    }
  }

  private void disarmIdle() {
    if (silence != null) {
      silence.stop();
    }
  }

  private static GatewayException malformed() {
    return DecoderState.malformedEvent().withStreamFault();
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
      if (!tokenSeen && chunk.hasToken()) {
        tokenArrived();
      }
      if (!terminal() && !started.future().isComplete() && reachedCommitPoint()) {
        // The chunks are held before the commit is announced: whoever the commit reaches finds them there.
        commitNow();
      }
    }

    @Override
    public void complete() {
      if (terminal()) {
        return;
      }
      if (!started.future().isComplete() && commit != StreamCommit.NONE && !tokenSeen
          && decoder.finishReason() == null) {
        // Neither a token nor a reason why there is none: an empty answer, worth another try.
        fail(GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
            "The provider's stream ended without an answer.").withStreamFault());
        return;
      }
      complete = true;
      started.tryComplete();
      terminate();
      drain();
    }

    @Override
    public void providerError(int status, String body) {
      if (terminal()) {
        return;
      }
      if (!started.future().isComplete()) {
        // Before the commit point an error event is an error answer: retries and fallback treat it as one.
        ProviderStreamError error = new ProviderStreamError(status, body);
        failure = error;
        abort.run();
        pending.clear();
        started.tryFail(error);
        finish();
        terminate();
        return;
      }
      fail(GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR, "The provider reported an error during the stream.")
          .withUpstreamStatus(status));
    }
  }
}
