package io.reliapi;

import io.reliapi.config.AdminConfig;
import io.reliapi.config.ClientConfig;
import io.reliapi.config.GatewayConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.policy.cache.SingleFlight;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.concurrency.ConcurrencyLimiters;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.policy.route.HedgeLatencies;
import io.reliapi.server.Snapshot;
import io.reliapi.store.Stores;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link Snapshot} of each config, at startup and at each reload, on the state that outlives every reload:
 * the stores, the cache's single-flight table, the retry budgets, the concurrency limiters and the hedges' latencies;
 * breakers of unchanged targets are carried over from the previous snapshot.
 */
final class Snapshots {
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final Stores stores;
  private final SingleFlight cacheFlights = new SingleFlight();
  private final RetryBudgets retryBudgets = new RetryBudgets();
  private final HedgeLatencies hedgeLatencies = new HedgeLatencies();
  private final ConcurrencyLimiters concurrency;

  Snapshots(Clock clock, Scheduler scheduler, GatewayEvents events, Stores stores) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.stores = stores;
    this.concurrency = new ConcurrencyLimiters(clock, events);
  }

  /** Builds the snapshot of {@code loaded}, carrying breakers of unchanged targets over from {@code previous}. */
  Snapshot build(LoadedConfig loaded, Snapshot previous) {
    GatewayConfig config = loaded.config();
    CircuitBreakers breakers = previous == null
        ? CircuitBreakers.create(config.targets().values(), clock, events)
        : CircuitBreakers.create(config.targets().values(), clock, events, previous.breakers());
    var pipelines = new PipelineFactory(config, clock, scheduler, events, stores, cacheFlights, breakers,
        retryBudgets, concurrency, hedgeLatencies);
    if (previous != null) {
      PipelineFactory.warmUpVocabularies(config);
    }
    return new Snapshot(previous == null ? 1 : previous.version() + 1, loaded.digest(), clock.epochMillis(),
        config, new ClientKeys(config.clients()), adminKeys(config.admin()), breakers, pipelines::build);
  }

  /** The admin keys, checked like client keys; each is known by its index in {@code keys_env}, never its text. */
  private static ClientKeys adminKeys(AdminConfig admin) {
    List<ClientConfig> keys = new ArrayList<>();
    for (int i = 0; i < admin.keys().size(); i++) {
      keys.add(new ClientConfig("key[" + i + "]", admin.keys().get(i), Optional.empty(), Optional.empty(),
          Optional.empty()));
    }
    return new ClientKeys(keys);
  }
}
