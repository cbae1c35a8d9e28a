package io.reliapi.policy.idempotency;

import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.policy.CarriedOn;
import io.reliapi.store.IdempotencyScope;
import io.vertx.core.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keyed LLM streams this instance leads, and how many of its requests wait on each. A stream stops when its
 * client hangs up (a "stop" button: nobody reads it, so nobody should pay for more of it), unless duplicates of
 * its key wait here for it: they want the answer, so the stream is read to its end, kept and replayed to them;
 * it stops once its client and every waiting duplicate have gone. Duplicates waiting on another instance are not
 * seen. Used from every event loop; a stream is stopped on its own.
 */
final class StreamLeads {
  private final ConcurrentMap<IdempotencyScope, Lead> leads = new ConcurrentHashMap<>();

  /** Returns whether a stream stops: its client has gone and no duplicate waits for it. */
  static boolean stops(boolean clientGone, int waiting) {
    return clientGone && waiting == 0;
  }

  /**
   * Starts leading {@code scope}'s stream from {@code context}, the leading request's event loop: the lead's
   * cancellation fires when {@code client}'s does with nobody waiting, or when the last waiter leaves after it.
   */
  Lead open(IdempotencyScope scope, Cancellation client, Context context) {
    Lead lead = new Lead(scope, context);
    leads.put(scope, lead);
    client.onCancel(lead::clientGone);
    return lead;
  }

  /** Counts a request waiting on {@code scope} here; the handle says it stopped waiting (once). */
  Runnable waiting(IdempotencyScope scope) {
    Lead lead = leads.get(scope);
    if (lead == null) {
      return () -> {};
    }
    lead.waiting.incrementAndGet();
    AtomicBoolean left = new AtomicBoolean();
    return () -> {
      if (left.compareAndSet(false, true)) {
        lead.left();
      }
    };
  }

  /** One led stream. */
  final class Lead {
    private final IdempotencyScope scope;
    private final Context context;
    private final Cancellation stream = new Cancellation();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean clientGone;
    private volatile boolean closed;

    private Lead(IdempotencyScope scope, Context context) {
      this.scope = scope;
      this.context = context;
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
      Runnable dropped = () -> {
        if (waiting.get() == 0) {
          body.abort().run();
        } else {
          CarriedOn.readToEnd(body.source());
        }
      };
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
        if (context == null) {
          stopIfAlone();
        } else {
          context.runOnContext(v -> stopIfAlone());
        }
      }
    }

    private void stopIfAlone() {
      if (!closed && stops(clientGone, waiting.get())) {
        stream.cancel();
      }
    }
  }
}
