package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.http.Json;
import io.reliapi.llm.Usage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The price a worst-case estimate is made at, the cache writes a request asks for, and hour-long writes' cost. */
class CostBoundTest {
  static final ModelPrice CLAUDE = new ModelPrice(1, 5, Optional.of(0.1), Optional.of(1.25), Optional.empty());

  @Test
  void findsTheLongestCacheWriteMarkedAnywhereInTheBody() {
    assertThat(CacheWrites.in(Json.parseOrNull("{\"messages\": [{\"content\": \"hi\"}]}".getBytes())))
        .isEqualTo(CacheWrites.NONE);
    assertThat(CacheWrites.in(Json.parseOrNull("""
        {"tools": [{"name": "t", "cache_control": {"type": "ephemeral"}}]}""".getBytes())))
        .isEqualTo(CacheWrites.FIVE_MINUTES);
    assertThat(CacheWrites.in(Json.parseOrNull("""
        {"system": [{"text": "a", "cache_control": {"type": "ephemeral"}}],
         "messages": [{"content": [{"text": "b", "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}]}"""
        .getBytes()))).isEqualTo(CacheWrites.ONE_HOUR);
    assertThat(CacheWrites.in(Json.parseOrNull("{\"cache_control\": {\"type\": \"ephemeral\"}}".getBytes())))
        .isEqualTo(CacheWrites.FIVE_MINUTES);
  }

  @Test
  void boundsThePromptAtTheWritePriceTheRequestAsksFor() {
    assertThat(Costs.bound(CLAUDE, CacheWrites.NONE)).isSameAs(CLAUDE);
    assertThat(Costs.bound(CLAUDE, CacheWrites.FIVE_MINUTES).inputPer1m()).isEqualTo(1.25);
    assertThat(Costs.bound(CLAUDE, CacheWrites.ONE_HOUR).inputPer1m()).isEqualTo(2);
    assertThat(Costs.bound(CLAUDE, CacheWrites.ONE_HOUR).outputPer1m()).isEqualTo(5);
  }

  @Test
  void boundsOutputAtAReasoningPriceAboveTheOutputPrice() {
    ModelPrice reasoner = new ModelPrice(1, 2, Optional.empty(), Optional.empty(), Optional.of(8.0));
    assertThat(Costs.bound(reasoner, CacheWrites.NONE).outputPer1m()).isEqualTo(8);
    ModelPrice cheapReasoning = new ModelPrice(1, 2, Optional.empty(), Optional.empty(), Optional.of(1.0));
    assertThat(Costs.bound(cheapReasoning, CacheWrites.NONE)).isSameAs(cheapReasoning);
  }

  @Test
  void chargesHourLongCacheWritesTwiceTheInputPriceAndTheOthersAtTheWritePrice() {
    Usage usage = Usage.reported(1010, 20).withCache(0, 1000).withHourCacheWrites(600);
    // 10 × 1 + 400 × 1.25 + 600 × 2 + 20 × 5, per 1M
    assertThat(Costs.usd(usage, CLAUDE)).isEqualByComparingTo("0.00181");
    assertThat(Usage.reported(10, 0).withCache(0, 5).withHourCacheWrites(50).hourCacheWriteTokens()).isEqualTo(5);
  }
}
