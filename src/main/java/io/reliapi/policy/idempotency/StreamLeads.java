package io.reliapi.policy.idempotency;

import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.policy.CarriedOn;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The keyed LLM streams this instance leads, and who waits on each. A stream stops when its client hangs up (a
 * "stop" button: nobody reads it, so nobody should pay for more of it), unless duplicates of its key wait for it:
 * they want the answer, so the stream is read to its end, kept and replayed to them. Its duplicates on this instance
 * are counted here, and the stream stops once its client and every one of them have gone. Every duplicate marks
 * itself in the store ({@link IdempotencyStore#markWaiting}) for its whole wait, which is how duplicates on other
 * instances (sharing Redis), and those that waited on an earlier lead of the key, are counted; once the stream is
 * left alone here, the store is asked, once, whether any is marked: if one is, the stream is read to its end (those
 * waiters' leaving is not watched); if none is, or the store cannot answer, it stops as before. A duplicate that
 * first waits after that answer gets what it got before: the outcome of a stream that stopped (docs/guarantees.md).
 * Used from every event loop; a stream is stopped on its own.
 */
final class StreamLeads {
  private final ConcurrentMap<IdempotencyScope, Lead> leads = new ConcurrentHashMap<>();

  /** Returns whether a stream stops: its client has gone and no duplicate waits for it, here or elsewhere. */
  static boolean stops(boolean clientGone, int waitingHere, boolean awaitedElsewhere) {
    return clientGone && waitingHere == 0 && !awaitedElsewhere;
  }

  /**
   * Starts leading {@code scope}'s stream from {@code context}, the leading request's event loop: the lead's
   * cancellation fires when {@code client}'s does with nobody waiting, or when the last waiter here leaves after it;
   * nobody waiting means none here and {@code awaitedElsewhere} (the store) answering no.
   */
  Lead open(IdempotencyScope scope, Cancellation client, Context context, Supplier<Future<Boolean>> awaitedElsewhere) {
    Lead lead = new Lead(scope, context, awaitedElsewhere);
    leads.put(scope, lead);
    client.onCancel(lead::clientGone);
    return lead;
  }

  /**
   * Counts a request waiting on {@code scope}'s stream: marked in {@code store} as {@code waiter} for at most
   * {@code forMs}, and here too if this instance leads it. Completes once the mark is answered (or the store failed to
   * answer: it waits unmarked while the store tries again) with the handle that says it stopped waiting.
   */
  Future<Waiting> waiting(IdempotencyScope scope, IdempotencyStore store, String waiter, long forMs) {
    // The mark holds for the key whoever leads it next, for the whole wait, so a waiter is never left uncounted
    // between a lead that ended (the key released) and the next one, here or elsewhere, which may ask at once. A lead
    // here counts it without asking the store, and learns it left once its mark is gone, so it never asks the store
    // about a mark being removed.
    Lead lead = leads.get(scope);
    if (lead != null) {
      lead.waiting.incrementAndGet();
    }
    Waiting waiting = new Waiting(() -> store.unmarkWaiting(scope, waiter).onComplete(removed -> {
      if (lead != null) {
        lead.left();
      }
    }));
    return store.markWaiting(scope, waiter, forMs).transform(answered -> Future.succeededFuture(waiting));
  }

  /** A request counted waiting on a key's stream, until it stops. */
  static final class Waiting {
    private final Runnable leave;
    private final AtomicBoolean left = new AtomicBoolean();

    private Waiting(Runnable leave) {
      this.leave = leave;
    }

    /** The request stopped waiting; once is enough, more is nothing. */
    void stop() {
      if (left.compareAndSet(false, true)) {
        leave.run();
      }
    }
  }

  /** One led stream. */
  final class Lead {
    private final IdempotencyScope scope;
    private final Context context;
    private final Supplier<Future<Boolean>> awaitedElsewhere;
    private final Cancellation stream = new Cancellation();
    private final AtomicInteger waiting = new AtomicInteger();
    /** The store's answer, asked the first time the stream is left alone here. */
    private Future<Boolean> elsewhere;
    private volatile boolean clientGone;
    private volatile boolean closed;

    private Lead(IdempotencyScope scope, Context context, Supplier<Future<Boolean>> awaitedElsewhere) {
      this.scope = scope;
      this.context = context;
      this.awaitedElsewhere = awaitedElsewhere;
    }

    /** The signal that stops the stream. */
    Cancellation cancellation() {
      return stream;
    }

    /**
     * Returns {@code reply} whose body, a raw route's stream of the provider's own bytes, is read on when its
     * client drops it while duplicates wait for it (so its copy completes), and reset as before otherwise. The
     * other routes read the chat stream itself, which stops on {@link #cancellation()} alone.
     */
    Reply readOnWhileAwaited(Reply reply) {
      if (!(reply.body() instanceof Body.Stream body)) {
        return reply;
      }
      Runnable dropped = () -> whenDecided(stops -> {
        if (stops) {
          body.abort().run();
        } else {
          CarriedOn.readToEnd(body.source());
        }
      });
      return reply.withBody(new Body.Stream(body.source(), body.length(), dropped));
    }

    /** The stream ended: nobody waits on this lead any more. */
    void close() {
      closed = true;
      leads.remove(scope, this);
    }

    private void clientGone() {
      clientGone = true;
      stopIfAlone();
    }

    private void left() {
      if (waiting.decrementAndGet() == 0 && clientGone) {
        onContext(this::stopIfAlone);
      }
    }

    private void stopIfAlone() {
      if (!closed && clientGone && waiting.get() == 0) {
        whenDecided(stops -> {
          if (stops && !closed) {
            stream.cancel();
          }
        });
      }
    }

    /** Tells {@code then}, on the lead's event loop, whether the stream stops now that its client has gone. */
    private void whenDecided(Consumer<Boolean> then) {
      if (waiting.get() > 0) {
        then.accept(false);
        return;
      }
      askElsewhere().onComplete(asked -> onContext(() -> then.accept(stops(true, waiting.get(), asked.result()))));
    }

    private synchronized Future<Boolean> askElsewhere() {
      if (elsewhere == null) {
        elsewhere = awaitedElsewhere.get().recover(unanswered -> Future.succeededFuture(false));
      }
      return elsewhere;
    }

    private void onContext(Runnable action) {
      if (context == null) {
        action.run();
      } else {
        context.runOnContext(v -> action.run());
      }
    }
  }
}
