package io.reliapi.llm.cost;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
  /** Each price known at load with Anthropic's cache write price where it has none ({@link #withCacheWrites}). */
  private final Map<ModelPrice, ModelPrice> withCacheWrites;

  PriceTable(BuiltInPrices builtInPrices, Set<String> configured, Collection<ModelPrice> configuredPrices) {
    this.builtIn = builtInPrices.models();
    this.builtInTiers = builtInPrices.tiers();
    this.largestWindows = builtInPrices.largestWindows();
    this.largestWindow = largestWindows.values().stream().reduce(0L, Math::max);
    Set<String> names = new HashSet<>(builtIn.keySet());
    names.addAll(configured);
    this.known = Set.copyOf(names);
    Map<ModelPrice, ModelPrice> written = new HashMap<>();
    builtIn.values().forEach(price -> written.put(price, withCacheWrites(price)));
    configuredPrices.forEach(price -> written.put(price, withCacheWrites(price)));
    this.withCacheWrites = Map.copyOf(written);
  }

  /** Returns the table for {@code config}: built-in prices plus every target's models and prices. */
  public static PriceTable of(GatewayConfig config) {
    Set<String> configured = new HashSet<>();
    List<ModelPrice> configuredPrices = new ArrayList<>();
    config.targets().values().forEach(t -> t.llm().ifPresent(llm -> {
      configured.add(llm.defaultModel());
      configured.addAll(llm.prices().keySet());
      configuredPrices.addAll(llm.prices().values());
    }));
    return new PriceTable(BuiltInPrices.table(), configured, configuredPrices);
  }

  /**
   * Returns the price of {@code model} on a target with {@code llm}, or empty when nobody priced it. On an Anthropic
   * target, and for a Claude model on any other ({@link ClaudeModels}: behind a router, which reports its cache writes
   * too), a price without a cache write price has Anthropic's ({@link Costs#CACHE_WRITE_FACTOR} times the input
   * price): Anthropic bills every cache write so, whatever price an operator gave the model.
   */
  public Optional<ModelPrice> price(LlmConfig llm, String model) {
    ModelPrice own = llm.prices().get(model);
    Optional<ModelPrice> price = own != null ? Optional.of(own) : Optional.ofNullable(builtIn.get(model));
    boolean anthropic = llm.provider() == LlmConfig.Provider.ANTHROPIC || ClaudeModels.named(model);
    return anthropic ? price.map(this::written) : price;
  }

  /** The price as computed at load; one the table did not see then (a test's own config) is computed now. */
  private ModelPrice written(ModelPrice price) {
    ModelPrice known = withCacheWrites.get(price);
    return known != null ? known : withCacheWrites(price);
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
