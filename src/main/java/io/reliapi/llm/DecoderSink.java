package io.reliapi.llm;

import io.reliapi.error.GatewayException;

/**
 * Where a {@link ChatStream}'s decoder (and a continuation spliced into it) puts what it read: each chunk, as its
 * client is shown it ({@link ShownChunks}), is assembled and held for the reader, marks the first content token and
 * commits the stream at its commit point; the end of the answer completes the stream unless it came empty or cut off;
 * an error event fails it. Used on the stream's event loop.
 */
final class DecoderSink implements StreamDecoder.Sink {
  private final ChatStream stream;
  private final ShownChunks shown;
  private final StreamAssembly assembly;
  private final HeldChunks held;
  private final StreamCommitment commitment;
  private final StreamDecoder decoder;

  DecoderSink(ChatStream stream, ShownChunks shown, StreamAssembly assembly, HeldChunks held,
      StreamCommitment commitment, StreamDecoder decoder) {
    this.stream = stream;
    this.shown = shown;
    this.assembly = assembly;
    this.held = held;
    this.commitment = commitment;
    this.decoder = decoder;
  }

  @Override
  public void chunk(ChatChunk decoded) {
    ChatChunk chunk = shown.show(decoded);
    if (chunk == null) {
      return;
    }
    assembly.add(chunk);
    held.add(chunk);
    if (!stream.tokenSeen() && chunk.hasToken()) {
      stream.tokenArrived();
    }
    if (!stream.ended() && commitment.due(stream.tokenSeen())) {
      // The chunks are held before the commit is announced: whoever the commit reaches finds them there.
      stream.commitNow();
    }
  }

  @Override
  public void complete() {
    if (stream.ended()) {
      return;
    }
    GatewayException fault = completionFault();
    if (fault != null) {
      stream.failWith(fault);
      return;
    }
    stream.completed();
  }

  /** Returns the fault the answer's end now would be, or null when it would be whole. */
  GatewayException completionFault() {
    if (commitment.emptyAnswer(stream.tokenSeen(), decoder.finishReason())) {
      return StreamFaults.emptyAnswer();
    }
    if (stream.tokenSeen() && decoder.finishReason() == null && !decoder.endMarkerCompletes()) {
      // Where the protocol always states a finish first, an end marker without one says the provider stopped
      // sending, not that the answer is whole: it may have been cut, so it is never presented as complete.
      return StreamFaults.cutOff();
    }
    return null;
  }

  @Override
  public void providerError(int status, String body) {
    if (stream.ended()) {
      return;
    }
    // Before the commit point an error event is an error answer: retries and fallback treat it as one.
    stream.failWith(commitment.decided() ? StreamFaults.providerError(status)
        : new ProviderStreamError(status, body));
  }
}
