package io.reliapi.llm;

import io.reliapi.error.GatewayException;

/**
 * Where a {@link ChatStream} reads from ({@link StreamSource}), and whether it is continued: the provider's flow,
 * until the provider breaks a committed, text-only answer the stream may continue ({@link ChatStream#resumeWith});
 * then the continuation ({@link StreamContinuation}), and the provider's connection is let go. Used on the stream's
 * event loop.
 */
final class StreamResumption {
  private final ProviderFlow flow;
  private final StreamEnding ending;
  private final StreamAssembly assembly;
  private final StreamCommitment commitment;
  private final ShownChunks shown;
  private final StreamListeners providerListeners;
  private StreamContinuation continuation;
  /** The provider's flow; once continued, the continuation (the provider's own connection is let go). */
  private StreamSource source;

  StreamResumption(ProviderFlow flow, StreamEnding ending, StreamAssembly assembly, StreamCommitment commitment,
      ShownChunks shown, StreamListeners providerListeners) {
    this.flow = flow;
    this.source = flow;
    this.ending = ending;
    this.assembly = assembly;
    this.commitment = commitment;
    this.shown = shown;
    this.providerListeners = providerListeners;
  }

  void resumeWith(StreamContinuation continuation) {
    this.continuation = continuation;
  }

  StreamSource source() {
    return source;
  }

  /** Returns whether the provider's own connection was let go for a continuation. */
  boolean detached() {
    return source != flow;
  }

  /** Returns the finish reason of the continuation that completed the answer. */
  String finishReason() {
    return continuation.finishReason();
  }

  /**
   * Asks for a continuation of a committed, text-only answer broken by {@code error}; returns whether one is on
   * its way. The provider's part is settled first: its output counts against the continuation's limit.
   */
  boolean continued(RuntimeException error) {
    if (continuation == null || shown.itemsShownAsText() || !commitment.committed()
        || !(error instanceof GatewayException fault) || !continuation.mends(fault)) {
      return false;
    }
    // Only now is the text copied: a stream that cannot be continued (resume off, most) never copies it.
    String sent = assembly.textOnly();
    if (sent == null || sent.isEmpty()) {
      return false;
    }
    if (!detached()) {
      source = continuation;
      flow.cancel();
      flow.unwatch();
      ending.partBroke();
      providerListeners.run();
    }
    return continuation.ask(fault, sent, shown.first());
  }
}
