package io.reliapi.store.redis;

import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.NanoUsd;
import io.reliapi.store.Reservation;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * The budget ledger in Redis, shared by every instance on it: one integer per account and period, in
 * nano-dollars ({@code reliapi:budget:{ledger}:<account>:<period>}; one hash tag for all, see {@link Keys}).
 * A reservation checks every account and adds to all of them in one Lua script, so concurrent reservations
 * on any number of instances can never together pass a limit. Periods are UTC days and months by the
 * gateway's clock; an entry lives until two hours after its period ended, so late settlements still land in
 * the period they were reserved in.
 */
public final class RedisBudgetLedger implements BudgetLedger {
  static final long RETAIN_AFTER_PERIOD_MS = 2 * 3_600_000L;

  /**
   * ARGV[1]: the amount; then per key its limit and its time to live (ms). Returns 0 when reserved on
   * every key, else the 1-based index of the first key that cannot afford it (nothing reserved).
   */
  static final LuaScript RESERVE = LuaScript.of("""
      local amount = tonumber(ARGV[1])
      for i, key in ipairs(KEYS) do
        local spent = tonumber(redis.call('GET', key) or '0')
        if spent + amount > tonumber(ARGV[2 * i]) then
          return i
        end
      end
      for i, key in ipairs(KEYS) do
        redis.call('INCRBY', key, ARGV[1])
        redis.call('PEXPIRE', key, ARGV[2 * i + 1])
      end
      return 0
      """);

  /** Adds ARGV[1] (may be negative) to every key that still exists. */
  static final LuaScript ADJUST = LuaScript.of("""
      for i, key in ipairs(KEYS) do
        if redis.call('EXISTS', key) == 1 then
          redis.call('INCRBY', key, ARGV[1])
        end
      end
      return 0
      """);

  private final RedisLink link;
  private final Clock clock;

  RedisBudgetLedger(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
  }

  @Override
  public Future<Reservation> reserve(List<BudgetAccount> accounts, double amountUsd) {
    long now = clock.epochMillis();
    long amount = NanoUsd.of(amountUsd);
    List<String> entries = accounts.stream().map(a -> a.entry(now)).toList();
    List<Object> args = new ArrayList<>();
    args.add(amount);
    for (BudgetAccount account : accounts) {
      args.add(account.limitNanos());
      args.add(account.period().endsAtMillis(now) + RETAIN_AFTER_PERIOD_MS - now);
    }
    return link.evalAcknowledged(RESERVE, entries.stream().map(Keys::budget).toList(), null, args.toArray())
        .map(reply -> {
          int exhausted = reply.toInteger();
          if (exhausted == 0) {
            return new Reservation.Granted(entries, amount);
          }
          BudgetAccount account = accounts.get(exhausted - 1);
          return new Reservation.Exhausted(account, account.period().endsAtMillis(now));
        });
  }

  @Override
  public Future<Void> settle(Reservation.Granted reservation, double actualUsd) {
    return adjust(reservation, NanoUsd.of(actualUsd) - reservation.amountNanos());
  }

  @Override
  public Future<Void> release(Reservation.Granted reservation) {
    return adjust(reservation, -reservation.amountNanos());
  }

  @Override
  public Future<Double> spentUsd(BudgetAccount account) {
    return link.send(Request.cmd(Command.GET).arg(Keys.budget(account.entry(clock.epochMillis()))))
        .map(value -> value == null ? 0.0 : NanoUsd.toUsd(value.toLong()));
  }

  private Future<Void> adjust(Reservation.Granted reservation, long delta) {
    if (delta == 0 || reservation.entries().isEmpty()) {
      return Future.succeededFuture();
    }
    return link.eval(ADJUST, reservation.entries().stream().map(Keys::budget).toList(), delta).mapEmpty();
  }
}
