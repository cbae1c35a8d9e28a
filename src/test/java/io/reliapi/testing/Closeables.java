package io.reliapi.testing;

import java.util.List;

/** Closing a fixture's parts in order, each even when an earlier one fails. */
final class Closeables {
  private Closeables() {}

  /** Closes each of {@code parts} in order; what a close throws is added to {@code into} as suppressed. */
  static void closeEach(List<? extends AutoCloseable> parts, Throwable into) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        into.addSuppressed(e);
      }
    }
  }

  /** Closes each of {@code parts} in order, then throws one failure saying what did not close, if any did not. */
  static void closeEach(List<? extends AutoCloseable> parts, String what) {
    RuntimeException failure = new IllegalStateException(what + " did not close");
    closeEach(parts, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }
}
