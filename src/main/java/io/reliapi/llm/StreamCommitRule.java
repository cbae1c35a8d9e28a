package io.reliapi.llm;

import io.reliapi.config.LlmFaultRules.StreamCommit;

/**
 * Where a {@link ChatStream} is committed to its reader: its {@link StreamCommit} mode, and at the latest when
 * the events it holds before that point exceed {@code maxHeldBytes}.
 */
record StreamCommitRule(StreamCommit mode, long maxHeldBytes) {

  /** Returns whether a stream holding {@code heldBytes} of events, a token among them or not, is at its commit point. */
  boolean reached(long heldBytes, boolean tokenSeen) {
    if (heldBytes > maxHeldBytes) {
      return true; // an answer longer than the gateway holds goes out as it comes from here on
    }
    return switch (mode) {
      case NONE -> true;
      case FIRST_TOKEN -> tokenSeen;
      case COMPLETE -> false;
    };
  }

  /**
   * Returns whether a stream the provider marked complete before its commit point is empty: neither a token nor
   * a reason why there is none, an answer worth another try. A stream committed at its first event has no such
   * check.
   */
  boolean emptyAnswer(boolean tokenSeen, String finishReason) {
    return mode != StreamCommit.NONE && !tokenSeen && finishReason == null;
  }
}
