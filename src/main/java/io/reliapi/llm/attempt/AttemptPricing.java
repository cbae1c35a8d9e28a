package io.reliapi.llm.attempt;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.Providers;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.cost.AudioUse;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import java.util.Optional;

/**
 * Settles one attempt's usage: counts it where the provider reported none (the prompt as estimated, the billed
 * output as counted), prices it at the model's price, and records it on the request's trace and the metrics.
 */
final class AttemptPricing {
  private final PriceTable prices;
  private final TokenCounter counter;
  private final GatewayEvents events;
  private final Exchange exchange;
  private final ChatRequest request;
  private final Optional<ModelPrice> price;

  AttemptPricing(PriceTable prices, TokenCounter counter, GatewayEvents events, Exchange exchange,
      ChatRequest request, Optional<ModelPrice> targetPrice) {
    this.prices = prices;
    this.counter = counter;
    this.events = events;
    this.exchange = exchange;
    this.request = request;
    this.price = request.estimate().flatMap(CostEstimate::price).or(() -> targetPrice);
  }

  /**
   * Returns {@code answer} with its usage and cost: counted from {@code billedOutput} where unreported, and where the
   * usage does not state the output ({@code outputReported} false) the counted output plus the reasoning reported
   * apart ({@link #withCountedOutput}).
   */
  Completion whole(Completion answer, String billedOutput, boolean outputReported) {
    Usage reported = answer.usage();
    Usage usage = reported == null ? counted(billedOutput)
        : outputReported ? reported : withCountedOutput(reported, billedOutput, true);
    return answer.withUsage(usage).withCost(settle(usage, answer.model()));
  }

  /**
   * Returns a stream's completion with its usage and cost. Unless the usage is {@code whole} (the stream completed
   * and its usage states the output), it is charged for what it streamed: a broken stream's running count may lag
   * the text already sent, and an Anthropic stream without its closing report carries only a placeholder, so the
   * larger of the two counts; where the usage does not state the output at all ({@code outputStated} false), the
   * counted output plus the reasoning reported apart ({@link #withCountedOutput}). A usage that does not state the
   * prompt ({@code promptReported} false) is charged the prompt the gateway counts where that is larger.
   */
  Completion streamed(boolean whole, boolean promptReported, Completion assembled, String billedOutput,
      boolean outputStated) {
    Usage reported = assembled.usage();
    if (reported != null && !promptReported) {
      reported = reported.withPromptTokens(Math.max(reported.promptTokens(), countedPrompt()));
    }
    Usage usage = reported != null ? reported : counted(billedOutput);
    if (!whole && reported != null) {
      usage = withCountedOutput(reported, billedOutput, !outputStated);
    }
    return assembled.withUsage(usage).withCost(settle(usage, null));
  }

  /**
   * Returns {@code reported} with its output the larger of the reported and the count of {@code billedOutput}, that
   * count plus the reasoning reported apart when {@code plusReasoning}: a report that lacks the text's count
   * (Gemini's without {@code candidatesTokenCount}) but states its thinking is billed both, and the thinking is not
   * in the text the gateway saw (its summaries counted twice, if shown: the safe side). Elsewhere the text counted
   * holds the reasoning already (OpenAI-compatible {@code reasoning_content}), and a reported output its reasoning.
   */
  private Usage withCountedOutput(Usage reported, String billedOutput, boolean plusReasoning) {
    long text = counter.textTokens(request.model(), billedOutput);
    long counted = plusReasoning ? Usage.saturatedAdd(reported.reasoningTokens(), text) : text;
    return reported.withCompletionTokens(Math.max(reported.completionTokens(), counted), true);
  }

  /**
   * Usage counted by the gateway, for providers that did not report it: the prompt and the billed output. The output
   * of a request asking for a spoken answer counts as audio: nothing says how much of it the provider billed as text.
   */
  private Usage counted(String completion) {
    Usage usage = new Usage(countedPrompt(), counter.textTokens(request.model(), completion), true);
    return spoken() ? usage.withAudio(0, usage.completionTokens()) : usage;
  }

  private long countedPrompt() {
    return request.estimate().map(CostEstimate::promptTokens).orElseGet(() -> counter.promptTokens(request));
  }

  private boolean spoken() {
    WireProtocol target = exchange.target().llm().map(llm -> Providers.of(llm.provider()).protocol())
        .orElse(WireProtocol.OPENAI_CHAT);
    return AudioUse.spoken(request, target).output().isPresent();
  }

  /** Prices {@code usage}, adds it to the request's cost and counts it; returns the cost or null if unpriced. */
  private Double settle(Usage usage, String responseModel) {
    return UsageRecords.settle(usage, price, prices.label(request.model()), responseModel, exchange, events);
  }
}
