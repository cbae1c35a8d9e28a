package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Continues a stream the provider broke after its commit point, when the answer so far is text only: asks a
 * provider for the rest of the same answer, given that text as the start of the assistant's message.
 */
public interface StreamResumer {

  /**
   * A continuation being asked for: the stream it answers with (committed; the future fails when none came),
   * the part of the text sent that the provider was given as the assistant's prefix, and whether the provider
   * may write that prefix again at the start of its answer.
   */
  record Continuation(Future<ChatStream> stream, String prefix, boolean echoes) {}

  /** Returns whether a stream broken by {@code fault} may be continued a {@code resume}th time (from 1). */
  boolean mends(GatewayException fault, int resume);

  /**
   * Returns the {@code resume}th continuation of a stream broken by {@code fault} after {@code sent} reached the
   * client, with {@code outputSpent} output tokens already spent on it; empty when there is nothing to ask for.
   */
  Optional<Continuation> continuation(GatewayException fault, String sent, long outputSpent, int resume);
}
