package io.reliapi;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.attempt.ChatAttemptStage;
import io.reliapi.llm.attempt.EmbeddingAttemptStage;
import io.reliapi.llm.cost.LocalCountStage;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.policy.access.AccessStage;
import io.reliapi.policy.budget.BudgetStage;
import io.reliapi.policy.cache.CacheStage;
import io.reliapi.policy.cache.SingleFlight;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.circuit.CircuitStage;
import io.reliapi.policy.concurrency.ConcurrencyLimiters;
import io.reliapi.policy.concurrency.ConcurrencyStage;
import io.reliapi.policy.cost.CostCapsStage;
import io.reliapi.policy.fallback.FallbackStage;
import io.reliapi.policy.idempotency.IdempotencyStage;
import io.reliapi.policy.ratelimit.LlmLimitStage;
import io.reliapi.policy.resume.StreamResumeStage;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.policy.retry.RetryPolicy;
import io.reliapi.policy.retry.RetryStage;
import io.reliapi.policy.route.DeploymentPools;
import io.reliapi.policy.route.DeploymentStage;
import io.reliapi.policy.route.HedgeLatencies;
import io.reliapi.policy.route.HedgeStage;
import io.reliapi.store.Stores;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.UpstreamClient;
import io.reliapi.upstream.UpstreamStage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place the order of the pipeline is written down. Every proxy route runs through it:
 *
 * <pre>
 *   Access → RateLimit → Idempotency → Cache → LocalCount → Fallback( for each target of the chain:
 *       CostCaps → StreamResume → Retry( Hedge( Deployment( Concurrency( Circuit( LlmLimit → Budget → ChatAttempt
 *           → Upstream attempt ) ) ) ) ) )
 * </pre>
 *
 * RateLimit runs first after Access, so its rejections never touch an idempotency key. Idempotency runs
 * before the cache, so a keyed request's outcome is kept whichever of the two answers it. LocalCount answers a
 * token count no provider makes right after them, so it is refused, limited and kept like any request but never
 * reaches the per-target stages, which have no attempt of it to act on. Fallback runs
 * the rest once per target; CostCaps then picks that target's model and {@code max_tokens} and
 * estimates and caps the cost (LLM requests only); StreamResume, above Retry, continues a stream the provider
 * breaks after its commit point by running a continuation through Retry and the rest again, so each
 * continuation is retried, guarded, limited and charged as an attempt (targets with llm.stream_resume only);
 * Retry runs the rest once per attempt, and Circuit
 * guards every single attempt, retries included. Choosing where an attempt goes is its own layer between
 * Retry and Circuit: Hedge may race a second attempt against a slow first one, and Deployment sends each
 * attempt to one of the target's deployments (cooling down after a 429, ejected after a refused credential,
 * behind an open breaker of its own), so a retry or a hedge lands on a sibling. Concurrency holds each attempt
 * to the target's limit of attempts in flight: inside Retry, so every retry takes a place like a first attempt (each loads the
 * upstream); outside Circuit, so the breaker times a call from when it got its place (time spent in the queue
 * is the gateway's, never a slow call of the upstream) and a half-open trial permit is never held by an attempt
 * that is still waiting; an attempt the open breaker refuses gives its place back at once; before the LLM
 * limits and the budget, so an attempt waiting in the queue holds no reservation and a shed one never
 * touches them. LlmLimit counts each LLM attempt on the request and token limits per minute right before
 * Budget, for the same reasons as Budget. Budget reserves each attempt's estimated cost on the
 * period budgets right before it and settles it to the actual cost after it, so every attempt that
 * reached a provider is charged, while cache hits and replays are free. ChatAttempt is part of the
 * attempt: it turns an LLM request into the target's provider call and the provider's answer back into
 * a neutral one (EmbeddingAttempt does the same for embeddings); non-LLM requests pass through them and
 * Budget. The stores (in memory or Redis), the cache's single-flight table and the breakers are made by
 * the gateway and outlive a config reload; the price table is built here, once per config; {@link #build}
 * runs once per event loop and config.
 */
final class PipelineFactory {
  private final GatewayConfig config;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final Stores stores;
  private final SingleFlight cacheFlights;
  private final CircuitBreakers breakers;
  private final RetryBudgets retryBudgets;
  private final ConcurrencyLimiters concurrency;
  private final PriceTable prices;
  private final DeploymentPools deployments;
  private final HedgeLatencies latencies;

  PipelineFactory(GatewayConfig config, Clock clock, Scheduler scheduler, GatewayEvents events, Stores stores,
      SingleFlight cacheFlights, CircuitBreakers breakers, RetryBudgets retryBudgets, ConcurrencyLimiters concurrency,
      HedgeLatencies latencies) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.stores = stores;
    this.cacheFlights = cacheFlights;
    this.breakers = breakers;
    this.retryBudgets = retryBudgets;
    this.concurrency = concurrency;
    this.prices = PriceTable.of(config);
    this.deployments = new DeploymentPools(config, stores.deployments(), breakers,
        () -> ThreadLocalRandom.current().nextDouble());
    this.latencies = latencies;
    // Last: it puts the config's concurrency limits in force at once, so nothing that may still fail comes after.
    concurrency.prepare(config.targets().values());
  }

  /**
   * Starts loading the token counter's vocabularies the config's models use, in the background. Called once
   * the gateway listens (loading competes for the CPU with starting up) and after each reload.
   */
  static void warmUpVocabularies(GatewayConfig config) {
    if (config.targets().values().stream().anyMatch(TargetConfig::isLlm)) {
      TokenCounter.shared().warmUpInBackground(configuredModels(config));
    }
  }

  /** The models the config names: its LLM targets' default models, priced models and deployments' models. */
  private static Set<String> configuredModels(GatewayConfig config) {
    Set<String> models = new HashSet<>();
    for (TargetConfig target : config.targets().values()) {
      target.llm().ifPresent(llm -> {
        models.add(llm.defaultModel());
        models.addAll(llm.prices().keySet());
      });
      target.deployments().forEach(deployment -> deployment.model().ifPresent(models::add));
    }
    return models;
  }

  /** Builds one event loop's pipeline around its own upstream clients. */
  Pipeline build(Map<String, UpstreamClient> upstreams) {
    long maxStoredBytes = config.server().maxResponseBytes();
    return Pipeline.of(List.of(
            new AccessStage(),
            new IdempotencyStage(stores.idempotency(), clock, scheduler, events, maxStoredBytes,
                config.targets().values()),
            new CacheStage(stores.cache(), cacheFlights, clock, events, maxStoredBytes),
            new LocalCountStage(TokenCounter.shared()),
            new FallbackStage(config, clock, events),
            new CostCapsStage(prices, TokenCounter.shared(), events),
            new StreamResumeStage(clock, retryBudgets, events),
            new RetryStage(new RetryPolicy(() -> ThreadLocalRandom.current().nextDouble()), clock, scheduler, events,
                retryBudgets),
            new HedgeStage(latencies, clock, scheduler, events, retryBudgets),
            new DeploymentStage(deployments, clock, events, retryBudgets),
            new ConcurrencyStage(concurrency, clock, scheduler, events),
            new CircuitStage(breakers, clock),
            new LlmLimitStage(stores.usageLimits(), events),
            new BudgetStage(stores.budgets(), clock, events),
            new ChatAttemptStage(prices, TokenCounter.shared(), clock, events, maxStoredBytes),
            new EmbeddingAttemptStage(prices, events, maxStoredBytes)),
        new UpstreamStage(upstreams, config.server().maxResponseBytes(), clock, events),
        events::internalError);
  }

}
