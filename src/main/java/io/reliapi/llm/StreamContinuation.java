package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.vertx.core.AsyncResult;
import java.util.Optional;

/**
 * The continuations of one {@link ChatStream} the provider broke after its commit point: asks its
 * {@link StreamResumer} for each, reads the one that came into the stream ({@link StreamSplice}), adds what each
 * spent to the stream's {@link StreamEnding}, and when none comes ends the stream with the fault it was to mend.
 * Used on the stream's event loop.
 */
final class StreamContinuation implements StreamSource {
  private final StreamResumer resumer;
  private final ChatStream stream;
  private final StreamEnding ending;
  private int asked;
  private boolean gaveUp;
  private ChatStream current;
  private StreamSplice splice;
  private String finishReason;

  StreamContinuation(StreamResumer resumer, ChatStream stream, StreamEnding ending) {
    this.resumer = resumer;
    this.stream = stream;
    this.ending = ending;
  }

  /** Returns whether a stream broken by {@code fault} may be continued (once more). */
  boolean mends(GatewayException fault) {
    return !gaveUp && resumer.mends(fault, asked + 1);
  }

  /**
   * Asks for the continuation of {@code sent} (the text the client has; {@code first}, a chunk of the stream),
   * broken by {@code fault}; returns whether one is on its way.
   */
  boolean ask(GatewayException fault, String sent, ChatChunk first) {
    Optional<StreamResumer.Continuation> next = resumer.continuation(fault, sent, ending.outputSpent(), ++asked);
    if (next.isEmpty()) {
      return false;
    }
    current = null;
    String prefix = next.get().prefix();
    TextJoin join = new TextJoin(next.get().echoes() ? prefix : "", sent.substring(prefix.length()));
    splice = new StreamSplice(first, join, ending.spentUsage());
    next.get().stream().onComplete(started -> read(started, fault));
    return true;
  }

  /** Returns the finish reason of the continuation that completed the answer. */
  String finishReason() {
    return finishReason;
  }

  @Override
  public void read() {
    if (current != null) {
      current.resume();
    }
  }

  @Override
  public void hold() {
    if (current != null) {
      current.pause();
    }
  }

  /** The stream ended otherwise (its client went away, its time ran out): the continuation read now stops. */
  @Override
  public void cancel() {
    if (current != null) {
      current.cancel();
    }
  }

  private void read(AsyncResult<ChatStream> started, GatewayException fault) {
    if (started.succeeded()) {
      started.result().settlesWhenBroken();
    }
    if (started.failed() || stream.ended()) {
      if (started.succeeded()) {
        started.result().cancel();
      }
      if (!stream.ended()) {
        // No continuation came (its attempts ran out, the breaker is open, …): the client gets the original fault.
        gaveUp = true;
        stream.fail(fault);
      }
      return;
    }
    ChatStream next = started.result();
    current = next;
    if (stream.paused()) {
      next.pause();
    }
    next.handler(chunk -> {
      ChatChunk spliced = splice.next(chunk);
      if (spliced != null) {
        stream.spliced(spliced);
      }
    });
    next.end().onComplete(end -> ended(next, end));
  }

  /** A continuation ended: the answer is complete with it, or it broke too (and may be continued again). */
  private void ended(ChatStream next, AsyncResult<Completion> end) {
    if (next != current || stream.ended()) {
      return;
    }
    ending.partSpent(next.settledUsage(), next.cost().result());
    if (end.succeeded()) {
      ChatChunk rest = splice.rest();
      if (rest != null) {
        stream.spliced(rest);
      }
      finishReason = end.result().finishReason();
      stream.completed();
    } else {
      stream.fail(GatewayException.from(end.cause()));
    }
  }
}
