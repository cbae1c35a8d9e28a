package io.reliapi.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Calls and tokens per sliding minute, for LLM request and token limits, shared by every event loop (and,
 * with Redis, by every instance, so N instances together hold one limit, not N). A call reserves its
 * estimated tokens before it goes out, then is settled to the tokens it really used, or released when it
 * never reached the provider; a reservation checks and counts in one atomic step, so concurrent calls can
 * never together pass a limit by what they reserved. Futures may complete on any thread; a store that
 * cannot be reached fails them with {@link StoreUnavailableException}.
 */
public interface UsageLimiter {

  /** Counts one call and {@code tokens} on every limit at once, or on none (refused, with the wait). */
  Future<UsageReservation> reserve(List<UsageLimit> limits, long tokens);

  /** Replaces the reserved tokens by {@code actualTokens}; the call stays counted. */
  Future<Void> settle(UsageReservation.Granted reservation, long actualTokens);

  /** Takes the call and its tokens back: it never reached the provider. */
  Future<Void> release(UsageReservation.Granted reservation);
}
