package io.reliapi.server;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.policy.retry.RetryAfter;
import java.util.OptionalLong;

/**
 * Reads an upstream's {@code Retry-After} for error objects' {@code retry_after_s}: delay-seconds as they
 * are, an HTTP-date as the whole seconds left until it on the gateway's clock (rounded up, so a client that
 * waits that long is never early). The header itself is passed on unchanged where the route keeps it.
 */
public final class RetryAfterHeader {
  private RetryAfterHeader() {}

  /** Returns {@code error} with the {@code retry_after_s} that {@code reply}'s {@code Retry-After} asks for, if any. */
  public static GatewayException onto(GatewayException error, Reply reply, long nowEpochMillis) {
    Long seconds = seconds(reply.headers().get("retry-after"), nowEpochMillis);
    return seconds == null ? error : error.withRetryAfter(seconds);
  }

  static Long seconds(String value, long nowEpochMillis) {
    OptionalLong delayMs = RetryAfter.delayMs(value, nowEpochMillis);
    if (delayMs.isEmpty()) {
      return null;
    }
    long ms = delayMs.getAsLong();
    return ms / 1000 + (ms % 1000 == 0 ? 0 : 1);
  }
}
