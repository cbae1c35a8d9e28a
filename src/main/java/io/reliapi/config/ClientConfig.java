package io.reliapi.config;

import java.util.Optional;
import java.util.Set;

/**
 * A caller of the gateway: its key, the targets it may use (empty = all), its budget and rate limit, and
 * its quota in the shared stores.
 */
public record ClientConfig(
    String name,
    Secret key,
    Optional<Set<String>> targets,
    Optional<BudgetConfig> budget,
    Optional<RateLimitConfig> rateLimit,
    QuotaConfig quota) {

  /** A client with the default quota. */
  public ClientConfig(String name, Secret key, Optional<Set<String>> targets, Optional<BudgetConfig> budget,
      Optional<RateLimitConfig> rateLimit) {
    this(name, key, targets, budget, rateLimit, QuotaConfig.DEFAULT);
  }

  /** Returns whether this client may call {@code target}. */
  public boolean allows(String target) {
    return targets.map(t -> t.contains(target)).orElse(true);
  }
}
