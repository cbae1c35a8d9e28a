package io.reliapi.llm.cost;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prices per model: a target's {@code llm.prices} first, then the built-in table (by exact model name, since
 * model names do not collide across the supported providers), and the models' context windows. It also bounds
 * the {@code model} label of the LLM metrics to the models it knows.
 */
public final class PriceTable {
  static final String OTHER = "other";
  private final Map<String, ModelPrice> builtIn;
  private final Map<String, TierPrices> builtInTiers;
  private final Map<LlmConfig.Provider, Long> largestWindows;
  /** The largest window of all, for a provider of which the table has no model with one. */
  private final long largestWindow;
  private final Set<String> known;

  PriceTable(BuiltInPrices builtInPrices, Set<String> configured) {
    this.builtIn = builtInPrices.models();
    this.builtInTiers = builtInPrices.tiers();
    this.largestWindows = builtInPrices.largestWindows();
    this.largestWindow = largestWindows.values().stream().reduce(0L, Math::max);
    Set<String> names = new HashSet<>(builtIn.keySet());
    names.addAll(configured);
    this.known = Set.copyOf(names);
  }

  /** Returns the table for {@code config}: built-in prices plus every target's models and prices. */
  public static PriceTable of(GatewayConfig config) {
    Set<String> configured = new HashSet<>();
    config.targets().values().forEach(t -> t.llm().ifPresent(llm -> {
      configured.add(llm.defaultModel());
      configured.addAll(llm.prices().keySet());
    }));
    return new PriceTable(BuiltInPrices.table(), configured);
  }

  /**
   * Returns the price of {@code model} on a target with {@code llm}, or empty when nobody priced it. On an Anthropic
   * target a price without a cache write price has Anthropic's ({@link Costs#CACHE_WRITE_FACTOR} times the input
   * price): Anthropic bills every cache write so, whatever price an operator gave the model.
   */
  public Optional<ModelPrice> price(LlmConfig llm, String model) {
    ModelPrice own = llm.prices().get(model);
    Optional<ModelPrice> price = own != null ? Optional.of(own) : Optional.ofNullable(builtIn.get(model));
    return llm.provider() == LlmConfig.Provider.ANTHROPIC ? price.map(PriceTable::withCacheWrites) : price;
  }

  private static ModelPrice withCacheWrites(ModelPrice price) {
    return price.cacheWritePer1m().isPresent() ? price
        : new ModelPrice(price.inputPer1m(), price.outputPer1m(), price.cacheReadPer1m(),
            Optional.of(price.inputPer1m() * Costs.CACHE_WRITE_FACTOR), price.reasoningPer1m(), price.maxInputTokens(),
            price.inputAudioPer1m(), price.outputAudioPer1m());
  }

  /**
   * Returns the service-tier prices of {@code model} on a target with {@code llm}: the built-in table's, and only when
   * the target does not price the model itself (its own price may be another deployment's, whose tiers the table
   * does not know). Empty when the source prices the model in no tier.
   */
  public Optional<TierPrices> tierPrices(LlmConfig llm, String model) {
    return llm.prices().containsKey(model) ? Optional.empty() : Optional.ofNullable(builtInTiers.get(model));
  }

  /**
   * Returns the context window of {@code model} on a target with {@code llm}, the most prompt tokens a call can be
   * billed for: the target's price's {@code max_input_tokens}, else the built-in table's for that model, else the
   * largest of the built-in models of the target's provider (so a bound taken from it still holds).
   */
  public long contextWindow(LlmConfig llm, String model) {
    return Optional.ofNullable(llm.prices().get(model)).flatMap(ModelPrice::maxInputTokens)
        .or(() -> Optional.ofNullable(builtIn.get(model)).flatMap(ModelPrice::maxInputTokens))
        .orElseGet(() -> largestWindows.getOrDefault(llm.provider(), largestWindow));
  }

  /** Returns {@code model} as a metric label: itself when configured or built in, else {@code other}. */
  public String label(String model) {
    return model != null && known.contains(model) ? model : OTHER;
  }
}
