package io.reliapi.llm;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * A provider's streamed answer, decoded into OpenAI-shaped chunks and read once. It starts (is committed to its
 * reader) at the point its {@link StreamCommit} mode names ({@link StreamCommitRule}): the first chunk, the first
 * content token, or the provider's complete answer; until then it holds what arrived and reads on, and any fault
 * fails the attempt as a whole, so it can still be retried or fall back without the client seeing anything. What its
 * decoder reads comes in through its {@link DecoderSink}. It holds chunks while nobody reads ({@link HeldChunks}),
 * and ends exactly once ({@link StreamEnding}): complete when the provider marked the end of its answer (or ended
 * its response after a finish reason); failed ({@link StreamFaults}) when the connection breaks, stalls past its
 * limits, sends something malformed, reports an error, or the client goes away. With a {@link StreamResumer}, a
 * text-only answer the provider breaks after the commit point is continued instead ({@link StreamResumption}): the
 * provider's connection is let go and the chunks of the continuation it asks for are spliced in
 * ({@link StreamContinuation}), so the reader sees one answer. Used on one event loop, as are the parts it is made
 * of.
 */
public final class ChatStream {
  /**
   * Prices and records a stream's usage once it ends, completed or broken: {@code assembled} is what the stream
   * amounted to, with the usage the provider reported (null when it sent none), which is {@code whole} when the
   * stream completed and the usage states its output ({@link StreamDecoder#outputReported}); the result is the same
   * with the usage the gateway settled on and its cost.
   */
  @FunctionalInterface
  public interface Settlement {
    Completion settle(boolean whole, Completion assembled);
  }

  private final ProviderFlow flow;
  private final ProviderReader reader;
  private final StreamDecoder decoder;
  private final StreamCommitment commitment;
  private final StreamAssembly assembly;
  private final StreamEnding ending;
  private final HeldChunks held = new HeldChunks();
  private final StreamListeners terminalListeners = new StreamListeners();
  private final StreamListeners tokenListeners = new StreamListeners();
  private final StreamListeners providerListeners = new StreamListeners();
  private final ShownChunks shown = new ShownChunks();
  private final StreamResumption resumption;
  private final DecoderSink sink;
  private boolean complete;
  private Throwable failure;
  private boolean tokenSeen;
  private Consumer<GatewayException> afterFinish = fault -> { };

  /** A stream committed at its first chunk ({@link StreamCommit#NONE}). */
  public ChatStream(ReadStream<Buffer> source, Runnable abort, StreamDecoder decoder, Settlement settlement,
      long maxHeldBytes) {
    this(source, abort, decoder, settlement, maxHeldBytes, StreamCommit.NONE);
  }

  /**
   * A stream read from {@code source}, committed where {@code commit} says; {@code maxHeldBytes} bounds the text
   * and arguments it holds to assemble its completion (past it, the completion is not kept), the events it
   * holds before its commit point (past it, it commits there) and each event (past it, the stream fails).
   */
  public ChatStream(ReadStream<Buffer> source, Runnable abort, StreamDecoder decoder, Settlement settlement,
      long maxHeldBytes, StreamCommit commit) {
    this.flow = new ProviderFlow(source, abort);
    this.decoder = decoder;
    this.assembly = new StreamAssembly(maxHeldBytes);
    this.ending = new StreamEnding(settlement, assembly, decoder);
    this.commitment = new StreamCommitment(new StreamCommitRule(commit, maxHeldBytes));
    this.resumption = new StreamResumption(flow, ending, assembly, commitment, shown, providerListeners);
    this.sink = new DecoderSink(this, shown, assembly, held, commitment, decoder);
    this.reader = new ProviderReader(flow, decoder, sink, () -> terminal() || detached(), this::providerFault,
        commitment::held, maxHeldBytes);
    providerListeners.add(reader::letGo);
    terminalListeners.add(providerListeners::run);
  }

  /**
   * Fails the stream when the provider sends nothing while the gateway is reading (a stall): for
   * {@code beforeTokenMs} until the first content token (0: no limit, when a first-token timer bounds that
   * stretch), for {@code afterTokenMs} between events after it. The clock stops while the reader holds the stream
   * paused. Set before {@link #start()}.
   */
  public void idleTimeouts(Vertx vertx, long beforeTokenMs, long afterTokenMs) {
    flow.silence(new StreamSilence(vertx, beforeTokenMs, afterTokenMs, reader::onSilence));
  }

  /**
   * Takes what the stream holds (the event being read, events before its commit point, the text it assembles, the
   * blocks its decoder holds whole) from {@code buffered}, the request's share of the memory budget; without room it
   * commits at once and stops assembling (an event being read, or a block the decoder must hold whole, fails the
   * stream instead). Set before {@link #start()}.
   */
  public void bufferedIn(HeldBytes buffered) {
    reader.bufferedIn(buffered);
    commitment.bufferedIn(buffered);
    assembly.bufferedIn(buffered);
    decoder.bufferedIn(buffered);
  }

  /**
   * The stream's client asked in {@code protocol} (without it, in OpenAI's Chat Completions): the protocol items of
   * any other protocol become their text as they leave the decoder ({@link ProtocolItems#shownIn}), so they neither
   * commit the stream nor count as its first token unless they hold text; and when that protocol shows no reasoning
   * text ({@link WireProtocol#showsReasoningText}), the reasoning the stream carries does not keep its completion from
   * being stored, as a replay to that client is the same without it. Set before {@link #start()}.
   */
  public void askedIn(WireProtocol protocol) {
    shown.askedIn(protocol);
    assembly.reasoningShown(protocol.showsReasoningText());
  }

  /**
   * Continues the stream through {@code resumer} when the provider breaks it after its commit point while the
   * answer is text only (set before the first fault).
   */
  public void resumeWith(StreamResumer resumer) {
    resumption.resumeWith(new StreamContinuation(resumer, this, ending));
  }

  /**
   * Makes this stream a continuation of another ({@link StreamContinuation}): when it breaks, its call is settled
   * for what it was charged ({@link #callUsage()} completes), as the call it continued was, since the stream it
   * serves goes on without it or ends with the fault it was to mend.
   */
  void settlesWhenBroken() {
    ending.settlesWhenBroken();
  }

  /**
   * Runs {@code action} with the fault when the provider's stream broke, stalled or sent a malformed event after its
   * finish reason, which ends the stream whole ({@link #providerFault}). Set before {@link #start()}.
   */
  public void onFaultAfterFinish(Consumer<GatewayException> action) {
    afterFinish = action;
  }

  /** Runs {@code action} once, when the first content token arrives (at once if it has). */
  public void onFirstToken(Runnable action) {
    if (tokenSeen) {
      action.run();
    } else {
      tokenListeners.add(action);
    }
  }

  /**
   * Starts reading; the future completes at the commit point and fails when the stream ends or breaks before
   * it (with a {@link ProviderStreamError} when the provider reported an error before it).
   */
  public Future<Void> start() {
    terminalListeners.add(flow::unwatch);
    reader.start(!terminal());
    return commitment.started();
  }

  /** Runs {@code action} once, when the stream completes or fails (to stop timers and listeners). */
  public void onTerminal(Runnable action) {
    if (terminal()) {
      action.run();
    } else {
      terminalListeners.add(action);
    }
  }

  /** Sets the reader of the chunks; chunks that arrived before it are delivered first. */
  public void handler(Consumer<ChatChunk> handler) {
    held.reader(handler);
    drain();
    if (!terminal() && !held.paused()) {
      resumption.source().read();
    }
  }

  /**
   * Completes with the completion the stream amounted to (settled usage and cost included), after every chunk
   * went to the handler; fails if it broke.
   */
  public Future<Completion> end() {
    return ending.end();
  }

  /**
   * Completes with the usage of the provider's own call: a complete stream's, that of one the provider broke and
   * a continuation took over from (the continuation's is its own attempt's), or that of a continuation that broke
   * in turn; fails when it broke otherwise.
   */
  public Future<Usage> callUsage() {
    return ending.callUsage();
  }

  /** Completes once the stream ended with what it cost: the whole answer, or what a broken one streamed. */
  public Future<Double> cost() {
    return ending.cost();
  }

  /**
   * Returns what the stream amounts to for a stage that keeps answers, once it ended: the completion and its
   * {@code chat.completion} bytes when it is complete, faithful and within {@code maxBytes}; never fails.
   */
  public Future<StreamRecording> record(long maxBytes) {
    return ending.record(maxBytes);
  }

  /**
   * Runs {@code action} once the provider's own call is over (at once if it is): when the stream ends, or when
   * the provider broke it and a continuation, an attempt of its own, took over.
   */
  public void onProviderDone(Runnable action) {
    if (terminal() || detached()) {
      action.run();
    } else {
      providerListeners.add(action);
    }
  }

  /** Stops delivering chunks until {@link #resume()} (the client cannot take more yet). */
  public void pause() {
    held.paused(true);
    if (!terminal()) {
      resumption.source().hold();
    }
  }

  public void resume() {
    held.paused(false);
    drain();
    if (!terminal() && held.hasReader()) {
      resumption.source().read();
    }
  }

  /** Stops the stream because its reader went away; the upstream connection is reset. */
  public void cancel() {
    if (ending.ended()) {
      return;
    }
    held.clear();
    failWith(StreamFaults.clientGone());
    finish();
  }

  /**
   * Fails the stream with {@code error} unless it already ended (the request's deadline, {@code stream_max_s}, the
   * end of a drain); after the finish reason the answer is whole and ends so, as after a fault of the provider's
   * ({@link #providerFault}).
   */
  public void fail(GatewayException error) {
    endWholeOrFail(error);
  }

  /** Fails the stream with {@code error} unless it ended or a continuation mends it; any fault, not only ours. */
  void failWith(RuntimeException error) {
    if (terminal()) {
      return;
    }
    if (resumption.continued(error)) {
      return;
    }
    failure = error;
    resumption.source().cancel();
    if (!commitment.decided()) {
      // Nobody will read a stream that was never committed: the attempt fails as a whole.
      held.clear();
      commitment.failed(error);
      finish();
    }
    terminalListeners.run();
    drain();
  }

  /**
   * A fault of the provider's side of the stream. Once the finish reason arrived (OpenAI's {@code finish_reason},
   * Anthropic's {@code message_delta} with its {@code stop_reason}) the answer is whole: a break, a stall or a
   * malformed event after it (the usage chunk half written, then a reset) only loses what follows (the usage, the
   * end marker), so the stream ends complete, its output counted where the usage is missing, and is never retried
   * (the provider billed the answer once already). Any other fault fails the stream.
   */
  private void providerFault(GatewayException fault) {
    if (fault.streamFault()) {
      endWholeOrFail(fault);
    } else {
      failWith(fault);
    }
  }

  /** Ends the stream whole when every finish reason came ({@link StreamDecoder#finished()}), else fails it. */
  private void endWholeOrFail(GatewayException fault) {
    if (!decoder.finished() || terminal()) {
      failWith(fault);
      return;
    }
    if (sink.completionFault() == null) {
      // Noted before the end, which logs the request's trail, and only when it ends whole (an empty answer fails).
      afterFinish.accept(fault);
    }
    sink.complete();
    resumption.source().cancel(); // a silent provider's connection is still open: it is let go
  }

  /** A continuation's chunk, made one of this stream's. */
  void spliced(ChatChunk chunk) {
    sink.chunk(chunk);
  }

  /** The answer is whole: the provider marked its end, or the continuation read now completed it. */
  void completed() {
    complete = true;
    commitment.completed();
    terminalListeners.run();
    drain();
  }

  boolean paused() {
    return held.paused();
  }

  boolean ended() {
    return terminal();
  }

  /** Returns the usage the stream settled when it ended: null before, or when it was charged nothing. */
  Usage settledUsage() {
    return ending.settledUsage();
  }

  private boolean detached() {
    return resumption.detached();
  }

  private boolean terminal() {
    return complete || failure != null;
  }

  /** Returns whether the first content token arrived ({@link DecoderSink}). */
  boolean tokenSeen() {
    return tokenSeen;
  }

  /** Commits the stream at its commit point ({@link DecoderSink}, which holds the chunks first). */
  void commitNow() {
    commitment.commit();
    if (!held.hasReader()) {
      // Nobody reads yet (the reply is on its way to the route): the provider waits, and so does its clock.
      flow.hold();
    }
  }

  /** The first content token arrived ({@link DecoderSink}). */
  void tokenArrived() {
    tokenSeen = true;
    // Not armed while the provider is held (committed earlier in these bytes with nobody reading yet, or a client
    // that cannot take more): reading again arms it. Before the commit point nobody reads yet but the provider is
    // read all the same, so it is armed then.
    flow.tokenArrived(!terminal());
    tokenListeners.run();
  }

  private void drain() {
    if (held.drain() && terminal()) {
      finish();
    }
  }

  private void finish() {
    if (failure != null) {
      ending.failed(failure, StreamEnding.charged(commitment.committed(), tokenSeen));
    } else if (detached()) {
      ending.continuedCompleted(resumption.finishReason());
    } else {
      ending.completed();
    }
  }
}
