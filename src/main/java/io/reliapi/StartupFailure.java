package io.reliapi;

import java.net.BindException;

/** Says why the gateway could not start, in words safe for a log line. */
final class StartupFailure {
  private StartupFailure() {}

  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "the listen address is in use or not available";
      }
    }
    return "an internal error occurred while starting the server (" + failure.getClass().getSimpleName() + ")";
  }
}
