package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.cost.Costs;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-request cost caps (SPEC §3.5) as a pure decision. The estimate is the worst case: prompt tokens at
 * the input price plus {@code max_tokens} (times the number of choices) at the output price, plus the bound on
 * the fees of provider-side tools ({@code ToolFees}), which lowering {@code max_tokens} does not change. Above the soft
 * cap, {@code max_tokens} drops to the largest value whose estimate fits under it, never below
 * {@code min_output_tokens} (nor above what the request asked); the hard cap is checked after that, and an
 * estimate above it is rejected.
 */
public final class CostPolicy {
  private CostPolicy() {}

  /** The caps of one target. */
  public record Caps(Optional<Double> softUsd, Optional<Double> hardUsd, int minOutputTokens) {
    public static Caps of(LlmConfig llm) {
      return new Caps(llm.softCostCapUsd(), llm.hardCostCapUsd(), llm.minOutputTokens());
    }
  }

  /**
   * What a call may cost at most; {@code toolFeesUsd} bounds what the call adds to its tokens at {@code price}: the
   * fees of its provider-side tools, and its audio data's surcharge over the input price.
   */
  public record Estimate(long promptTokens, int maxTokens, int choices, ModelPrice price, BigDecimal toolFeesUsd) {
    /** A call whose tools add no fee. */
    public Estimate(long promptTokens, int maxTokens, int choices, ModelPrice price) {
      this(promptTokens, maxTokens, choices, price, BigDecimal.ZERO);
    }

    public BigDecimal usd() {
      return Costs.usd(promptTokens, (long) maxTokens * choices, price).add(toolFeesUsd).stripTrailingZeros();
    }

    Estimate withMaxTokens(int maxTokens) {
      return new Estimate(promptTokens, maxTokens, choices, price, toolFeesUsd);
    }
  }

  /** The outcome: go ahead, go ahead with fewer output tokens, or reject. */
  public sealed interface Decision {
    BigDecimal estimateUsd();
  }

  public record Allow(BigDecimal estimateUsd) implements Decision {}

  public record Throttle(int maxTokens, int originalMaxTokens, BigDecimal estimateUsd) implements Decision {}

  /** Rejected: {@code estimateUsd} (with {@code maxTokens}, after any throttling) is above {@code capUsd}. */
  public record Reject(BigDecimal estimateUsd, double capUsd, int maxTokens, int originalMaxTokens)
      implements Decision {
    public boolean throttledFirst() {
      return maxTokens < originalMaxTokens;
    }

    /** Returns the refusal of a call to {@code model}: {@code BUDGET_EXCEEDED} with the estimate and the cap. */
    public GatewayException error(String model) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("estimate", estimateUsd.stripTrailingZeros());
      details.put("cap", BigDecimal.valueOf(capUsd).stripTrailingZeros());
      details.put("model", model);
      details.put("max_tokens", maxTokens);
      return GatewayException.of(ErrorCode.BUDGET_EXCEEDED,
          "The cost estimate of this request is above the target's hard cost cap.").withDetails(details);
    }
  }

  public static Decision apply(Estimate estimate, Caps caps) {
    Estimate checked = estimate;
    if (caps.softUsd().isPresent() && estimate.usd().compareTo(decimal(caps.softUsd().get())) > 0) {
      long fits = largestFitting(estimate, caps.softUsd().get());
      int lowered = (int) Math.min(estimate.maxTokens(), Math.max(caps.minOutputTokens(), fits));
      checked = estimate.withMaxTokens(lowered);
    }
    BigDecimal usd = checked.usd();
    if (caps.hardUsd().isPresent() && usd.compareTo(decimal(caps.hardUsd().get())) > 0) {
      return new Reject(usd, caps.hardUsd().get(), checked.maxTokens(), estimate.maxTokens());
    }
    if (checked.maxTokens() < estimate.maxTokens()) {
      return new Throttle(checked.maxTokens(), estimate.maxTokens(), usd);
    }
    return new Allow(usd);
  }

  /** Returns the most output tokens whose estimate stays at or under {@code capUsd} (0 if none fits). */
  static long largestFitting(Estimate estimate, double capUsd) {
    BigDecimal perToken = Costs.perToken(estimate.price().outputPer1m()).multiply(BigDecimal.valueOf(estimate.choices()));
    if (perToken.signum() == 0) {
      return estimate.maxTokens(); // output is free: fewer output tokens would not lower the estimate
    }
    BigDecimal room = decimal(capUsd).subtract(Costs.usd(estimate.promptTokens(), 0, estimate.price()))
        .subtract(estimate.toolFeesUsd());
    if (room.signum() <= 0) {
      return 0;
    }
    return room.divide(perToken, 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(Integer.MAX_VALUE)).longValue();
  }

  private static BigDecimal decimal(double usd) {
    return BigDecimal.valueOf(usd);
  }
}
