package io.reliapi.policy.budget;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.PricedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.pipeline.Trace;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetPeriod;
import io.reliapi.store.Guarded;
import io.reliapi.store.Reservation;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds LLM attempts to their period budgets (SPEC §3.5): right before each attempt it reserves the cost
 * estimate on every budget the attempt spends from (its target's, its client's), in one atomic step, so
 * concurrent attempts — on any number of instances sharing Redis — can never together overspend. When
 * one cannot afford it: 429 {@code BUDGET_EXHAUSTED}, {@code Retry-After} until that budget's period
 * ends, and nothing reaches the provider (a fallback target may still answer).
 *
 * <p>After the attempt the reservation becomes the actual cost: what the attempt added to the request's
 * cost (a whole answer, a stream once it ended, a broken stream for what it streamed; 0 for an error
 * answer). An attempt that failed before reaching the provider is released; one whose outcome is unknown
 * (timeout or reset after sending) keeps its estimate, as its cost cannot be known. Cache hits and
 * replays never get here, so they are free. Chat and embedding requests alike ({@link PricedRequest}); non-LLM
 * requests pass untouched.
 */
public final class BudgetStage implements Stage {
  private final Guarded<BudgetLedger> ledgers;
  private final Clock clock;
  private final GatewayEvents events;

  public BudgetStage(Guarded<BudgetLedger> ledgers, Clock clock, GatewayEvents events) {
    this.ledgers = ledgers;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var chat = exchange.payload(PricedRequest.class);
    if (chat.isEmpty()) {
      return next.proceed(exchange);
    }
    List<BudgetAccount> accounts = BudgetAccounts.of(exchange.context().caller().client(), exchange.target());
    if (accounts.isEmpty()) {
      return next.proceed(exchange);
    }
    var estimate = chat.get().estimate().flatMap(CostEstimate::usd);
    if (estimate.isEmpty()) {
      return Future.failedFuture(GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN,
          "This request is under a period budget and the model has no known price; add it to the target's llm.prices.")
          .withDetails(Map.of("model", chat.get().model())));
    }
    Trace trace = exchange.trace();
    return StoreOutage.run(ledgers, trace, ledger -> ledger.reserve(accounts, estimate.get())
            .map(reservation -> new Reserved(ledger, reservation)))
        .compose(reserved -> switch (reserved.reservation()) {
          case Reservation.Exhausted exhausted -> exhausted(exchange, exhausted);
          case Reservation.Granted granted -> attempt(exchange, next, reserved.ledger(), granted, estimate.get());
        });
  }

  private Future<Reply> attempt(Exchange exchange, Chain next, BudgetLedger ledger, Reservation.Granted granted,
      double estimateUsd) {
    Trace trace = exchange.trace();
    String target = exchange.target().name();
    trace.note(new TrailEntry.Budget(target, "reserved", estimateUsd));
    return next.proceed(exchange).andThen(done -> {
      if (done.failed()) {
        if (!GatewayException.from(done.cause()).sentUpstream()) {
          ledger.release(granted);
          trace.note(new TrailEntry.Budget(target, "released", estimateUsd));
        }
        return;
      }
      // A stream's cost is known when it ends; until then the estimate stays reserved.
      done.result().cost().onComplete(cost -> settle(trace, target, ledger, granted,
          cost.succeeded() && cost.result() != null ? cost.result() : 0));
    });
  }

  private static void settle(Trace trace, String target, BudgetLedger ledger, Reservation.Granted granted,
      double actualUsd) {
    ledger.settle(granted, actualUsd);
    trace.note(new TrailEntry.Budget(target, "settled", actualUsd));
  }

  private Future<Reply> exhausted(Exchange exchange, Reservation.Exhausted exhausted) {
    BudgetAccount account = exhausted.account();
    events.budgetEvent(exchange.target().name(), "exhausted");
    exchange.trace().note(new TrailEntry.Budget(exchange.target().name(), "exhausted", account.limitUsd()));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("budget", account.name().startsWith("client:") ? "client" : "target");
    details.put("period", account.period() == BudgetPeriod.DAY ? "day" : "month");
    details.put("limit_usd", account.limitUsd());
    return Future.failedFuture(GatewayException.of(ErrorCode.BUDGET_EXHAUSTED,
            "The period budget is spent; it resets at the time in Retry-After.")
        .withRetryAfter(BudgetAccounts.retryAfterS(exhausted.resetsAtMillis(), clock.epochMillis()))
        .withDetails(details));
  }


  /** A reservation and the ledger it was made in (the shared one, or the local one when degraded). */
  private record Reserved(BudgetLedger ledger, Reservation reservation) {}
}
