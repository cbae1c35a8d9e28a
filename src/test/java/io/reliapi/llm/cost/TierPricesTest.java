package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The built-in service-tier prices of OpenAI's models, as the table's source gives them. */
class TierPricesTest {
  static final Optional<Double> none = PriceTableTest.none;
  final PriceTable table = PriceTable.of(PriceTableTest.CONFIG);
  /** A target without prices of its own. */
  final LlmConfig unpriced = PriceTableTest.CONFIG.target("azure").orElseThrow().llm().orElseThrow();

  static ModelPrice price(double input, double output, double cacheRead, long window) {
    return new ModelPrice(input, output, Optional.of(cacheRead), none, none, Optional.of(window));
  }

  @Test
  void aModelPricedByTierHasItsPriorityAndFlexPricesWithItsWindow() {
    TierPrices gpt5 = table.tierPrices(unpriced, "gpt-5").orElseThrow();
    assertThat(gpt5.of("priority")).contains(price(2.5, 20.0, 0.25, 272_000));
    assertThat(gpt5.of("flex")).contains(price(0.625, 5.0, 0.0625, 272_000));
    assertThat(table.tierPrices(unpriced, "gpt-4o").orElseThrow().of("priority"))
        .contains(price(4.25, 17.0, 2.125, 128_000));
    assertThat(table.tierPrices(unpriced, "gpt-5.1-codex").orElseThrow().of("priority"))
        .contains(price(2.5, 20.0, 0.25, 272_000));
  }

  @Test
  void aTierTheSourceDoesNotPriceIsAbsent() {
    assertThat(table.tierPrices(unpriced, "gpt-5-codex")).isEmpty();
    assertThat(table.tierPrices(unpriced, "claude-haiku-4-5")).isEmpty();
    assertThat(table.tierPrices(unpriced, "gpt-5.1").orElseThrow().flex()).isEmpty();
    // The source gives gpt-5-nano a priority input price and no priority output price: no priority price at all.
    TierPrices nano = table.tierPrices(unpriced, "gpt-5-nano").orElseThrow();
    assertThat(nano.priority()).isEmpty();
    assertThat(nano.flex()).contains(price(0.025, 0.2, 0.0025, 272_000));
    // A tier without its own cache-read price: cache reads fall back to the tier's input price.
    assertThat(table.tierPrices(unpriced, "gpt-4o-2024-05-13").orElseThrow().of("priority"))
        .contains(new ModelPrice(8.75, 26.25, none, none, none, Optional.of(128_000L)));
  }

  @Test
  void onlyPriorityAndFlexAreTiersWithTheirOwnPrices() {
    TierPrices gpt5 = table.tierPrices(unpriced, "gpt-5").orElseThrow();
    assertThat(gpt5.of("default")).isEmpty();
    assertThat(gpt5.of("auto")).isEmpty();
    assertThat(gpt5.of(null)).isEmpty();
  }

  @Test
  void aTargetThatPricesTheModelItselfHasNoBuiltInTierPrices() {
    LlmConfig pricing = PriceTableTest.CONFIG.target("openai").orElseThrow().llm().orElseThrow();
    assertThat(table.tierPrices(pricing, "gpt-4o-mini")).isEmpty();
    assertThat(table.tierPrices(unpriced, "gpt-4o-mini").orElseThrow().of("priority"))
        .contains(price(0.25, 1.0, 0.125, 128_000));
    assertThat(table.tierPrices(pricing, "gpt-5-mini")).isPresent();
  }
}
