package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenamedModelPriceTest {
  static final ModelPrice CHEAP_WITH_CACHE = new ModelPrice(0.15, 0.6, Optional.of(0.075), Optional.of(0.2),
      Optional.empty(), Optional.of(128_000L), Optional.of(10.0), Optional.empty());
  static final ModelPrice DEAR = new ModelPrice(2.5, 10, Optional.empty(), Optional.empty(), Optional.of(12.0),
      Optional.of(200_000L), Optional.of(40.0), Optional.of(80.0));

  @Test
  void eachKindOfTokenIsPricedAtTheDearerOfTheTwo() {
    ModelPrice price = RenamedModelPrice.dearer(CHEAP_WITH_CACHE, DEAR);

    assertThat(price.inputPer1m()).isEqualTo(2.5);
    assertThat(price.outputPer1m()).isEqualTo(10);
    // the dear model reads and writes its cache at its input price, dearer than the cheap one's own prices
    assertThat(price.cacheReadPer1m()).contains(2.5);
    assertThat(price.cacheWritePer1m()).contains(2.5);
    assertThat(price.reasoningPer1m()).contains(12.0);
    assertThat(price.maxInputTokens()).contains(200_000L);
    assertThat(price.inputAudioPer1m()).contains(40.0);
    // one of them has no audio output price: neither has one
    assertThat(price.outputAudioPer1m()).isEmpty();
    assertThat(RenamedModelPrice.dearer(DEAR, CHEAP_WITH_CACHE)).isEqualTo(price);
  }

  @Test
  void aCallWhereEitherModelHasNoPriceHasNone() {
    assertThat(RenamedModelPrice.of(Optional.empty(), Optional.of(DEAR))).isEmpty();
    assertThat(RenamedModelPrice.of(Optional.of(DEAR), Optional.empty())).isEmpty();
    assertThat(RenamedModelPrice.of(Optional.of(DEAR), Optional.of(DEAR))).contains(DEAR);
  }
}
