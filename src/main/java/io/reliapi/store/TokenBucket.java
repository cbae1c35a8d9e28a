package io.reliapi.store;

/**
 * The token bucket's arithmetic as a pure function, used by the in-memory limiter and mirrored line by
 * line by the Redis limiter's Lua script. Time is in milliseconds; a clock that steps backwards (another
 * instance's clock, slightly behind) refills nothing rather than draining the bucket.
 */
public final class TokenBucket {
  private TokenBucket() {}

  /** A bucket's state: the tokens it held at {@code atMs}. */
  public record State(double tokens, double atMs) {}

  /**
   * Whether a token was taken and, if not, the milliseconds until one will be there (at least 1).
   * {@code state} is the bucket after the attempt.
   */
  public record Taken(boolean granted, long retryAfterMs, State state) {}

  /** Returns the result of taking one token at {@code nowMs} from {@code state} (null: a new, full bucket). */
  public static Taken take(State state, double nowMs, double rps, int burst) {
    double tokens = burst;
    double at = nowMs;
    if (state != null) {
      at = Math.max(state.atMs(), nowMs);
      tokens = Math.min(burst, state.tokens() + Math.max(0, nowMs - state.atMs()) * rps / 1000);
    }
    if (tokens >= 1) {
      return new Taken(true, 0, new State(tokens - 1, at));
    }
    long waitMs = Math.max(1, (long) Math.ceil((1 - tokens) * 1000 / rps));
    return new Taken(false, waitMs, new State(tokens, at));
  }

  /** Returns how long an idle bucket takes to fill up again, after which it equals a new one. */
  public static long refillMs(double rps, int burst) {
    return (long) Math.ceil(burst * 1000 / rps);
  }
}
