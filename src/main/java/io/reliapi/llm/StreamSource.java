package io.reliapi.llm;

/**
 * Where a {@link ChatStream}'s chunks come from now: the provider's connection ({@link ProviderFlow}), or, once
 * the provider broke it and it was continued, the continuation that took over ({@link StreamContinuation}).
 * Used on the stream's event loop.
 */
interface StreamSource {

  /** The stream's reader can take more. */
  void read();

  /** The stream's reader cannot take more yet. */
  void hold();

  /** The stream ended otherwise (it failed, its client went away, its time ran out): the source stops. */
  void cancel();
}
