package io.reliapi.store;

import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request and token limits of one gateway instance. One lock guards them all: a reservation touches at
 * most two windows (client and target) of 60 slots each and does no I/O. Windows are keyed by client and
 * target names, a set bounded by the config, so they are never evicted.
 */
public final class InMemoryUsageLimiter implements UsageLimiter {
  private final Clock clock;
  private final Map<String, MinuteWindow> windows = new HashMap<>();

  public InMemoryUsageLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<UsageReservation> reserve(List<UsageLimit> limits, long tokens) {
    long now = clock.epochMillis();
    for (UsageLimit limit : limits) {
      var refused = window(limit.name()).check(limit.name(), limit.rpm(), limit.tpm(), tokens, now);
      if (refused != null) {
        return Future.succeededFuture(refused);
      }
    }
    long second = Math.floorDiv(now, 1000);
    for (UsageLimit limit : limits) {
      window(limit.name()).add(second, 1, tokens, now);
    }
    return Future.succeededFuture(
        new UsageReservation.Granted(limits.stream().map(UsageLimit::name).toList(), second, tokens));
  }

  @Override
  public synchronized Future<Void> settle(UsageReservation.Granted reservation, long actualTokens) {
    adjust(reservation, 0, actualTokens - reservation.tokens());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> release(UsageReservation.Granted reservation) {
    adjust(reservation, -1, -reservation.tokens());
    return Future.succeededFuture();
  }

  private void adjust(UsageReservation.Granted reservation, long calls, long tokens) {
    long now = clock.epochMillis();
    for (String name : reservation.names()) {
      window(name).add(reservation.epochSecond(), calls, tokens, now);
    }
  }

  private MinuteWindow window(String name) {
    return windows.computeIfAbsent(name, n -> new MinuteWindow());
  }
}
