package io.reliapi;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.llm.ChatAttemptStage;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.policy.cost.CostCapsStage;
import io.reliapi.policy.access.AccessStage;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.UpstreamClient;
import io.reliapi.upstream.UpstreamStage;
import java.util.List;
import java.util.Map;

/**
 * The one place the order of the pipeline is written down. Every proxy route runs through it:
 *
 * <pre>
 *   Access → CostCaps → ChatAttempt → Upstream attempt
 * </pre>
 *
 * <p>CostCaps runs once per target (after fallback, before retries): it picks the target's model and
 * {@code max_tokens}, estimates and caps the cost. ChatAttempt is part of the attempt: it turns an LLM
 * request into the target's provider call and the provider's answer back into a neutral one. Both let
 * non-LLM requests pass.
 */
final class PipelineFactory {
  private final GatewayConfig config;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final PriceTable prices;

  PipelineFactory(GatewayConfig config, Clock clock, Scheduler scheduler, GatewayEvents events) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.prices = PriceTable.of(config);
    if (config.targets().values().stream().anyMatch(TargetConfig::isLlm)) {
      TokenCounter.shared().warmUp();
    }
  }

  /** Builds one event loop's pipeline around its own upstream clients. */
  Pipeline build(Map<String, UpstreamClient> upstreams) {
    return Pipeline.of(List.of(
            new AccessStage(),
            new CostCapsStage(prices, TokenCounter.shared(), events),
            new ChatAttemptStage(prices, TokenCounter.shared(), clock, events, config.server().maxResponseBytes())),
        new UpstreamStage(upstreams, config.server().maxResponseBytes(), clock, events));
  }

  Scheduler scheduler() {
    return scheduler;
  }
}
