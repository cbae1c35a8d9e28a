package io.reliapi.policy.cache;

import io.reliapi.config.CacheConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.BackOnContext;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.policy.CarriedOn;
import io.reliapi.policy.StoredCopy;
import io.reliapi.store.CacheEntry;
import io.reliapi.store.Quota;
import io.reliapi.store.ResponseCache;
import io.reliapi.store.StoredReply;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Answers GET and HEAD requests and LLM completions from the target's cache when it has one (SPEC §3.3). A
 * miss goes upstream once per key however many identical requests arrive together; the others wait and share
 * the answer if it may be kept, or go upstream themselves if not. An LLM stream is kept once it completed, as
 * the completion it adds up to; requests waiting on it get that stored answer, replayed, not the live stream.
 * The client's {@code no-cache} skips the read, {@code no-store} or {@code "cache": 0} skip the cache entirely.
 */
public final class CacheStage implements Stage {
  private final ResponseCache cache;
  private final SingleFlight flights;
  private final Clock clock;
  private final GatewayEvents events;
  private final long maxStoredBytes;

  public CacheStage(ResponseCache cache, SingleFlight flights, Clock clock, GatewayEvents events, long maxStoredBytes) {
    this.cache = cache;
    this.flights = flights;
    this.clock = clock;
    this.events = events;
    this.maxStoredBytes = maxStoredBytes;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Optional<CacheConfig> config = exchange.target().cache().filter(CacheConfig::enabled);
    CacheDirective directive = exchange.context().cacheDirective();
    if (config.isEmpty() || !CachePolicy.isCacheableRequest(exchange) || directive.skipWrite() && directive.skipRead()) {
      return next.proceed(exchange);
    }
    long ttlMs = TimeUnit.SECONDS.toMillis(CacheDirectives.ttlS(directive, config.get().ttlS()));
    Lookup lookup = new Lookup(exchange, next, CachePolicy.key(exchange, config.get().shared()), ttlMs, directive);
    return directive.skipRead() ? lookup.bypass() : lookup.run();
  }

  /** One cacheable request on its way: read, then serve, wait or fetch. */
  private final class Lookup {
    private final Exchange exchange;
    private final Chain next;
    private final String key;
    private final long ttlMs;
    private final CacheDirective directive;
    private final String target;

    Lookup(Exchange exchange, Chain next, String key, long ttlMs, CacheDirective directive) {
      this.exchange = exchange;
      this.next = next;
      this.key = key;
      this.ttlMs = ttlMs;
      this.directive = directive;
      this.target = exchange.target().name();
    }

    Future<Reply> run() {
      return read().compose(stored -> stored != null ? serve(stored, false) : missed());
    }

    /**
     * Goes upstream without reading (request {@code no-cache}); a keepable answer refreshes the cache. It
     * never waits for a flight already in the air, but leads one when there is none.
     */
    Future<Reply> bypass() {
      events.cacheMiss(target);
      exchange.trace().note(new TrailEntry.Cache(target, "bypass"));
      SingleFlight.Flight flight = flights.join(key);
      return fetch(flight.leads() ? flight : null);
    }

    private Future<StoredReply> read() {
      return readKey(key).compose(entry -> switch (entry) {
        case null -> Future.succeededFuture(null);
        case CacheEntry.Response response -> Future.succeededFuture(response.reply());
        case CacheEntry.Variants variants -> readKey(CachePolicy.variantKey(key, variants.headers(), exchange.call().headers()))
            .map(variant -> variant instanceof CacheEntry.Response response ? response.reply() : null);
      });
    }

    /** Reads one key; a store that fails counts as a miss, never as an error. */
    private Future<CacheEntry> readKey(String k) {
      return BackOnContext.of(cache.get(k)).map(found -> found.orElse(null)).otherwise((CacheEntry) null);
    }

    private Future<Reply> serve(StoredReply stored, boolean coalesced) {
      exchange.trace().cacheHit(true);
      exchange.trace().note(new TrailEntry.Cache(target, coalesced ? "coalesced" : "hit"));
      exchange.trace().ageS(CachePolicy.ageS(stored, clock.epochMillis()));
      events.cacheHit(target);
      if (coalesced) {
        events.coalesced(target);
      }
      return Future.succeededFuture(stored.toReply());
    }

    private Future<Reply> missed() {
      SingleFlight.Flight flight = flights.join(key);
      if (flight.leads()) {
        events.cacheMiss(target);
        exchange.trace().note(new TrailEntry.Cache(target, "miss"));
        return fetch(flight);
      }
      return untilHungUp(flight.result()).compose(shared -> {
        if (shared.reply() != null && shared.storedUnder().equals(keyFor(shared.varyHeaders()))) {
          return serve(shared.reply(), true);
        }
        // The leader's answer was not for this request (not keepable, or another variant): fetch our own.
        events.cacheMiss(target);
        exchange.trace().note(new TrailEntry.Cache(target, "miss"));
        return fetch(null);
      });
    }

    /**
     * Returns the leader's result, or a failure as soon as this request's client hangs up: a waiter whose client
     * is gone stops at once instead of holding its place until the leader ends, and never fetches on its own.
     */
    private Future<SingleFlight.Shared> untilHungUp(Future<SingleFlight.Shared> leader) {
      Promise<SingleFlight.Shared> heard = Promise.promise();
      Runnable unlisten = exchange.context().cancellation().onCancel(
          () -> heard.tryFail(GatewayException.clientGone(false)));
      leader.onComplete(result -> {
        if (result.succeeded()) {
          heard.tryComplete(result.result());
        } else {
          heard.tryFail(result.cause());
        }
      });
      // Back on this request's loop before the listener is removed: the cancellation is the loop's alone.
      return BackOnContext.of(heard.future()).andThen(done -> unlisten.run());
    }

    /** Fetches the answer; a fill others may wait on ({@code flight}) is carried on without its client. */
    private Future<Reply> fetch(SingleFlight.Flight flight) {
      return next.proceed(flight == null ? exchange : CarriedOn.withoutClient(exchange)).transform(done -> {
        if (done.failed()) {
          flights.finish(flight, null);
          return Future.failedFuture(done.cause());
        }
        Reply reply = done.result();
        if (directive.skipWrite() || !CachePolicy.isStorable(reply)) {
          flights.finish(flight, null);
          return Future.succeededFuture(reply);
        }
        List<String> vary = CachePolicy.varyHeaders(reply.headers());
        StoredCopy copy = StoredCopy.of(reply, maxStoredBytes, clock, exchange.context().buffered());
        copy.result().onSuccess(result -> {
          if (!(result instanceof StoredCopy.Stored kept)) {
            flights.finish(flight, null);
            return;
          }
          StoredReply stored = kept.reply();
          String storedUnder = keyFor(vary);
          keep(stored, vary, storedUnder).onComplete(written ->
              flights.finish(flight, new SingleFlight.Shared(stored, vary, storedUnder)));
        });
        return Future.succeededFuture(flight == null ? copy.reply() : CarriedOn.readWhenDropped(copy));
      });
    }

    private String keyFor(List<String> vary) {
      return vary.isEmpty() ? key : CachePolicy.variantKey(key, vary, exchange.call().headers());
    }

    /** Stores an answer; one that varies on more headers goes under its variant key, indexed under the key. */
    private Future<Void> keep(StoredReply stored, List<String> vary, String storedUnder) {
      Caller caller = exchange.context().caller();
      Quota quota = new Quota(caller.name(), caller.quota().cacheBytes());
      Future<Void> put = cache.put(storedUnder, new CacheEntry.Response(stored), ttlMs, quota);
      if (!vary.isEmpty()) {
        put = Future.join(put, cache.put(key, new CacheEntry.Variants(vary), ttlMs, quota)).mapEmpty();
      }
      return put.otherwiseEmpty();
    }
  }
}
