package io.reliapi.store.redis;

import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetPeriod;
import io.reliapi.store.NanoUsd;
import io.reliapi.store.Reservation;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The budget ledger in Redis, shared by every instance on it: one integer per account and period, in
 * nano-dollars ({@code reliapi:budget:{ledger}:<account>:<period>}; one hash tag for all, see {@link Keys}).
 * A reservation checks every account and adds to all of them in one Lua script, so concurrent reservations
 * on any number of instances can never together pass a limit. Periods are UTC days and months by the
 * gateway's clock; an entry lives until two hours after its period ended, so late settlements still land in
 * the period they were reserved in.
 *
 * <p>Each reservation has a random id, recorded with its amount in the month's hash of open reservations
 * ({@link BudgetScripts}), so that an answer Redis sends and the gateway never gets costs nothing twice. A
 * settlement or release closes the id once: it is sent again until Redis answers (through {@link Resender},
 * for up to {@link Resender#RESEND_FOR_MS}), and a second arrival finds the id closed. A reservation whose
 * caller got no answer was never used (its request failed), so once Redis may have made it, it is released
 * by id the same way; if it has not run yet, the release marks the id so that it reserves nothing when it
 * does.
 */
public final class RedisBudgetLedger implements BudgetLedger {
  static final long RETAIN_AFTER_PERIOD_MS = 2 * 3_600_000L;

  private final RedisLink link;
  private final Clock clock;
  private final Resender resender;

  RedisBudgetLedger(RedisLink link, Clock clock, Scheduler scheduler) {
    this.link = link;
    this.clock = clock;
    this.resender = new Resender(scheduler, clock);
  }

  @Override
  public Future<Reservation> reserve(List<BudgetAccount> accounts, double amountUsd) {
    long now = clock.epochMillis();
    long amount = NanoUsd.of(amountUsd);
    String month = BudgetPeriod.MONTH.id(now);
    String id = month + "/" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    long openTtlMs = BudgetPeriod.MONTH.endsAtMillis(now) + RETAIN_AFTER_PERIOD_MS - now;
    List<String> entries = accounts.stream().map(a -> a.entry(now)).toList();
    List<Object> args = new ArrayList<>(List.of(id, amount, openTtlMs));
    for (BudgetAccount account : accounts) {
      args.add(account.limitNanos());
      args.add(account.period().endsAtMillis(now) + RETAIN_AFTER_PERIOD_MS - now);
    }
    List<String> keys = keys(id, entries);
    return link.evalAcknowledged(BudgetScripts.RESERVE, keys, fate -> unanswered(id, keys, fate, openTtlMs),
            args.toArray())
        .compose(reply -> {
          int answer = reply.toInteger();
          if (answer == 0) {
            return Future.succeededFuture(new Reservation.Granted(id, entries, amount));
          }
          if (answer < 0) {
            return Future.failedFuture(new StoreUnavailableException("the reservation was withdrawn"));
          }
          BudgetAccount account = accounts.get(answer - 1);
          return Future.succeededFuture(new Reservation.Exhausted(account, account.period().endsAtMillis(now)));
        });
  }

  /**
   * Handles a reservation whose caller got no answer, so never used it: once Redis answered it with a
   * reservation, or may still run it, it is released by id, sent again until Redis answers.
   */
  private void unanswered(String id, List<String> keys, Future<Response> fate, long openTtlMs) {
    fate.onComplete(done -> {
      boolean mayBeReserved = done.succeeded()
          ? done.result().type() == ResponseType.NUMBER && done.result().toInteger() == 0
          : !(done.cause() instanceof ErrorType);
      if (mayBeReserved) {
        resender.untilAnswered(() -> close(keys, id, 0, done.failed(), openTtlMs),
            clock.epochMillis() + Resender.RESEND_FOR_MS);
      }
    });
  }

  @Override
  public Future<Void> settle(Reservation.Granted reservation, double actualUsd) {
    return close(reservation, NanoUsd.of(actualUsd));
  }

  @Override
  public Future<Void> release(Reservation.Granted reservation) {
    return close(reservation, 0);
  }

  @Override
  public Future<Double> spentUsd(BudgetAccount account) {
    return link.send(Request.cmd(Command.GET).arg(Keys.budget(account.entry(clock.epochMillis()))))
        .map(value -> value == null ? 0.0 : NanoUsd.toUsd(value.toLong()));
  }

  /** Closes {@code reservation} at {@code spentNanos}; completes once Redis answered, sent again until then. */
  private Future<Void> close(Reservation.Granted reservation, long spentNanos) {
    List<String> keys = keys(reservation.id(), reservation.entries());
    return resender.untilAnswered(() -> close(keys, reservation.id(), spentNanos, false, 0),
        clock.epochMillis() + Resender.RESEND_FOR_MS).mapEmpty();
  }

  private Future<Response> close(List<String> keys, String id, long spentNanos, boolean markUnknown, long markTtlMs) {
    return link.eval(BudgetScripts.CLOSE, keys, id, spentNanos, markUnknown ? "1" : "0", markTtlMs);
  }

  /** Returns the keys a script on reservation {@code id} touches: its month's open reservations, then its entries. */
  private static List<String> keys(String id, List<String> entries) {
    List<String> keys = new ArrayList<>(entries.size() + 1);
    keys.add(Keys.budgetReservations(id.substring(0, id.indexOf('/'))));
    entries.forEach(entry -> keys.add(Keys.budget(entry)));
    return keys;
  }
}
