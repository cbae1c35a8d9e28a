package io.reliapi.server;

/** Reads the delay-seconds form of a Retry-After header for error objects; dates are left to the header itself. */
final class RetryAfterHeader {
  private RetryAfterHeader() {}

  static Long seconds(String value) {
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds >= 0 ? seconds : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
