package io.reliapi.config;

import java.util.Optional;
import java.util.Set;

/**
 * A caller of the gateway: its key, the targets it may use (empty = all), its budget and rate limit, its
 * quota in the shared stores, the priority of its requests when a target's concurrency limit is reached, and
 * its LLM request and token limits.
 */
public record ClientConfig(
    String name,
    Secret key,
    Optional<Set<String>> targets,
    Optional<BudgetConfig> budget,
    Optional<RateLimitConfig> rateLimit,
    QuotaConfig quota,
    Priority priority,
    Optional<LlmLimitsConfig> limits) {

  /** A client with the default quota and priority, without LLM limits. */
  public ClientConfig(String name, Secret key, Optional<Set<String>> targets, Optional<BudgetConfig> budget,
      Optional<RateLimitConfig> rateLimit) {
    this(name, key, targets, budget, rateLimit, QuotaConfig.DEFAULT, Priority.INTERACTIVE, Optional.empty());
  }

  /** Returns whether this client may call {@code target}. */
  public boolean allows(String target) {
    return targets.map(t -> t.contains(target)).orElse(true);
  }

  /** Whose attempts go first when a target is at its concurrency limit; batch ones are shed first. */
  public enum Priority {
    INTERACTIVE, BATCH;

    /** Returns the name used in the config file and in metric labels. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
