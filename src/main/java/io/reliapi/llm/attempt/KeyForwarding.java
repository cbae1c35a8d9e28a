package io.reliapi.llm.attempt;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;
import java.util.Optional;

/**
 * Passes the request's idempotency key to a provider that deduplicates by itself, under the header the
 * target's {@code idempotency.forward_header} names (SPEC §3.4).
 */
final class KeyForwarding {
  private KeyForwarding() {}

  static HttpCall apply(HttpCall call, TargetConfig target, Optional<String> key) {
    Optional<String> header = target.idempotency().forwardHeader();
    if (header.isEmpty() || key.isEmpty()) {
      return call;
    }
    return call.withHeaders(call.headers().with(header.get(), key.get()));
  }
}
